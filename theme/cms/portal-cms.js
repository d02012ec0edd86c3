/* The portal's article file for Decap CMS: `Key: value` lines, one blank line, the Markdown body,
   exactly as the site's reader and `python3 tasks.py check` accept it. The keys, their order,
   list separators and the other names editors write for them come from window.PORTAL_HEADER
   (portal-header.js, made at build time from plugins/contract/schema.py). */
(function (root) {
  'use strict';

  var FORMAT = 'portal-header';
  /* Set on the data saved for an article the URL record holds without a 'Slug' line: the format
     then writes none, rather than one made from a title the editor may have changed. */
  var KEEP_SLUG = 'portalKeepSlug';

  /* A header name compared the way the reader compares it (plugins.contract.text.fold_key). */
  function foldKey(text) {
    return String(text).replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD')
      .replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  }

  /* A slug from a title, as `invoke new` makes it: no accents (đ as d), lower case, '-', at most `limit`. */
  function slugify(title, limit) {
    var slug = String(title || '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD')
      .replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    slug = slug || 'bai-viet';
    if (slug.length <= limit) return slug;
    var cut = slug.slice(0, limit + 1);
    var at = cut.lastIndexOf('-');
    return at > 0 ? cut.slice(0, at) : slug.slice(0, limit).replace(/-+$/, '');
  }

  /* One header line holds one line of text. */
  function oneLine(value) {
    return String(value).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  }

  /* A file value without the leading '/' a media folder may give it (images/x.jpg, files/y.pdf). */
  function contentPath(value) {
    return oneLine(value).replace(/^\/+/, '');
  }

  /* A date written D/M/YYYY HH:mm; an ISO date from an older file is shown in GMT+7, day first. */
  function dayFirst(value) {
    var text = oneLine(value);
    var iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
    if (!iso) return text;
    var hour = iso[4] === undefined ? 0 : Number(iso[4]);
    var minute = iso[5] === undefined ? 0 : Number(iso[5]);
    var offset = 7 * 60;
    if (iso[6]) {
      var zone = iso[6] === 'Z' ? '+00:00' : iso[6];
      var sign = zone[0] === '-' ? -1 : 1;
      var digits = zone.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    var utc = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), hour, minute) - offset * 60000;
    var local = new Date(utc + 7 * 3600000);
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return local.getUTCDate() + '/' + (local.getUTCMonth() + 1) + '/' + local.getUTCFullYear() + ' ' +
      pad(local.getUTCHours()) + ':' + pad(local.getUTCMinutes());
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === '' || value === false ||
      (Array.isArray(value) && value.length === 0);
  }

  function written(key, value) {
    if (key.type === 'yes-no') return value === true || /^(yes|true|có)$/i.test(String(value)) ? 'yes' : '';
    if (key.separator) {
      var items = (Array.isArray(value) ? value : String(value).split(key.separator))
        .map(key.type === 'file' ? contentPath : oneLine).filter(function (item) { return item; });
      return items.join(key.separator + ' ');
    }
    if (key.type === 'date') return dayFirst(value);
    if (key.type === 'file') return contentPath(value);
    return oneLine(value);
  }

  /* The file's text from the entry's fields: every key that has a value, in the contract's order,
     then any other key the file had (the reader reports those; nothing is dropped here). */
  function toFile(data, header) {
    header = header || root.PORTAL_HEADER;
    data = Object.assign({}, data);
    var known = {};
    header.keys.forEach(function (key) { known[key.name] = key; });
    var keepSlug = data[KEEP_SLUG];
    delete data[KEEP_SLUG];
    if (!keepSlug && isEmpty(data.Slug) && !isEmpty(data.Title)) data.Slug = slugify(data.Title, header.slugMax);
    var lines = [];
    header.keys.forEach(function (key) {
      if (isEmpty(data[key.name])) return;
      var value = written(key, data[key.name]);
      if (value) lines.push(key.name + ': ' + value);
    });
    Object.keys(data).forEach(function (name) {
      if (known[name] || name === header.body || isEmpty(data[name])) return;
      lines.push(name + ': ' + oneLine(Array.isArray(data[name]) ? data[name].join(', ') : data[name]));
    });
    var body = String(data[header.body] || '').replace(/\r\n?/g, '\n').replace(/^\n+/, '');
    if (body && body.slice(-1) !== '\n') body += '\n';
    return lines.join('\n') + '\n\n' + body;
  }

  /* The entry's fields from a file: header lines up to the first blank line, the rest is the body. */
  function fromFile(text, header) {
    header = header || root.PORTAL_HEADER;
    var lines = String(text).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
    var byName = {};
    header.keys.forEach(function (key) { byName[key.name] = key; });
    var data = {};
    var at = 0;
    for (; at < lines.length; at++) {
      var line = lines[at];
      if (!line.trim()) break;
      var colon = line.indexOf(':');
      if (colon < 0) break;
      var written = line.slice(0, colon).trim();
      var value = line.slice(colon + 1).trim();
      var name = header.aliases[foldKey(written)] || written;
      var key = byName[name];
      if (key && key.separator) {
        data[name] = value.split(key.separator).map(function (item) { return item.trim(); })
          .filter(function (item) { return item; });
      } else if (key && key.type === 'yes-no') {
        data[name] = /^(yes|true|có|1)$/i.test(value);
      } else if (key && key.type === 'date') {
        data[name] = dayFirst(value);
      } else {
        data[name] = value;
      }
    }
    data[header.body] = lines.slice(at + (at < lines.length && !lines[at].trim() ? 1 : 0)).join('\n');
    return data;
  }

  /* The URL the record holds for an entry's file (Decap gives it with the content folder:
     content/articles/2024/x.md), or '' for a new article or one the record does not hold. */
  function recordedUrl(path, recorded) {
    recorded = recorded || root.PORTAL_RECORDED || {folder: '', urls: {}};
    var prefix = recorded.folder ? recorded.folder + '/' : '';
    if (!path || String(path).indexOf(prefix) !== 0) return '';
    var owner = String(path).slice(prefix.length);
    return Object.prototype.hasOwnProperty.call(recorded.urls, owner) ? recorded.urls[owner] : '';
  }

  /* The slug in a recorded URL (year/month/slug/): what the field shows for a file without a 'Slug' line. */
  function pinnedSlug(url) {
    return String(url).replace(/\/+$/, '').split('/').pop();
  }

  /* The entry's fields as saved. The record keeps a published article where it is whatever its
     title or date become, as long as its 'Slug' line stays as it was: one without a 'Slug' keeps none. */
  function pinned(data, path, recorded) {
    if (!recordedUrl(path, recorded) || !isEmpty(data.Slug)) return data;
    var kept = Object.assign({}, data);
    kept[KEEP_SLUG] = true;
    return kept;
  }

  function pinnedNote(url) {
    return 'Bài đã đăng tại /' + url + ': địa chỉ không đổi được ở đây; muốn đổi, hỏi Ban Biên tập.';
  }

  var api = {FORMAT: FORMAT, foldKey: foldKey, slugify: slugify, toFile: toFile, fromFile: fromFile,
             recordedUrl: recordedUrl, pinned: pinned, pinnedNote: pinnedNote};
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
    return;
  }
  root.PortalCms = api;
  root.CMS_MANUAL_INIT = true;

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : '';
  }

  /* The Slug field: a text input, read-only with a note once the URL record holds the article. */
  function slugControl() {
    var h = root.h;
    return root.createClass({
      render: function () {
        var props = this.props;
        var url = recordedUrl(props.entry && props.entry.get('path'));
        var input = {type: 'text', id: props.forID, className: props.classNameWrapper,
                     value: props.value || (url ? pinnedSlug(url) : ''),
                     onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle};
        if (!url) {
          input.onChange = function (event) { props.onChange(event.target.value); };
          return h('input', input);
        }
        var noteId = props.forID + '-ghi-chu';
        input.readOnly = true;
        input['aria-describedby'] = noteId;
        return h('div', null, h('input', input), h('p', {id: noteId, className: 'portal-slug-pinned'}, pinnedNote(url)));
      }
    });
  }

  function slugPreview(props) {
    return root.h('p', null, props.value || '');
  }

  /* Once the bundle has loaded: the format, the slug widget, the site's stylesheet in the preview, then the editor. */
  root.addEventListener('DOMContentLoaded', function () {
    var CMS = root.CMS;
    CMS.registerCustomFormat(FORMAT, 'md', {
      fromFile: function (text) { return fromFile(text); },
      toFile: function (data) { return toFile(data); }
    });
    CMS.registerWidget(root.PORTAL_HEADER.slugWidget, slugControl(), slugPreview);
    CMS.registerEventListener({name: 'preSave', handler: function (event) {
      var entry = event.entry;
      var data = entry.get('data');
      return pinned({Slug: data.get('Slug')}, entry.get('path'))[KEEP_SLUG] ? data.set(KEEP_SLUG, true) : data;
    }});
    if (meta('portal-preview-style')) CMS.registerPreviewStyle(meta('portal-preview-style'));
    CMS.init();
  });
})(typeof window !== 'undefined' ? window : globalThis);
