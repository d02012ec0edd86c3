/*
 * Trang tìm kiếm (/tim-kiem/): giao diện riêng, nhỏ, trên API JavaScript của
 * Pagefind (tệp trong /pagefind/ của chính website, không gọi máy chủ ngoài).
 *
 * Chỉ mục chia thành nhiều phần theo thời gian (mỗi nửa năm hoặc mỗi năm một
 * thư mục trong /pagefind/, liệt kê ở data-shards, mới nhất trước). Phần mới
 * nhất là chỉ mục chính, các phần khác được gộp vào bằng mergeIndex; mỗi phần
 * mang bộ lọc ẩn “_shard”. Pagefind bỏ qua một từ khóa mà chỉ mục không có,
 * nên một phần thiếu từ đó sẽ trả về cả những bài không chứa nó: bảng từ
 * (/pagefind/tu-vung/, mỗi phần một bản ghi gồm mọi từ của phần) cho biết,
 * từng từ một, những phần nào có thể có kết quả như khi chỉ có một chỉ mục,
 * và chỉ tìm trong các phần đó.
 *
 * Pagefind tự bỏ dấu khi so khớp (“cong” tìm được “công”) nhưng không bỏ được
 * gạch của chữ “đ”. Chỉ mục lưu “đ” thành “d” + dấu gạch U+0335 (xem
 * plugins/search/core.py); từ khóa được viết lại y như vậy, nên “cong doan”,
 * “Cong Doan”, “công đoàn” và “cong đoan” đều tìm thấy “Công đoàn”. Tiêu đề,
 * tên đơn vị và đoạn trích được đổi lại thành “đ”, đủ dấu như bản gốc.
 *
 * Thẻ, tên chiến dịch và tên đơn vị nằm trong metadata của mỗi bài
 * (plugins/search/core.py) và được tìm như tiêu đề, với trọng số riêng (RANKING).
 * Gõ đủ dấu thì bài có đúng dấu từng từ được xếp trước (diacriticSimilarity),
 * và trong đoạn trích chỉ tô những từ đúng dấu khi bài có chúng.
 *
 * Bộ lọc nằm trong <details>: trên điện thoại được thu gọn để kết quả đầu tiên
 * hiện ngay màn hình đầu, trên màn hình rộng được mở sẵn.
 *
 * Không có JavaScript: biểu mẫu vẫn gửi ?q=… và trang hiện lời nhắn <noscript>.
 */
(function () {
  'use strict';

  var FILTERS = ['unit', 'campaign', 'type', 'year'];
  var SHARD_FILTER = '_shard';
  var VOCABULARY = 'tu-vung'; // như plugins/search/shards.py
  var VOCABULARY_FILTER = 'shard';
  var DEBOUNCE_MS = 250;
  var STROKE = /([dD])\u0335/g;
  var MARKS = /[\u0300-\u036f]/g; // dấu thanh, dấu mũ, dấu móc và gạch của “đ” (U+0335) sau NFD
  // Pagefind cộng điểm các trường metadata khớp từ khóa theo trọng số này
  // (tiêu đề như mặc định của Pagefind); điểm trong nội dung của một từ gõ
  // đúng dấu được nhân (1 + diacriticSimilarity). Điểm tiêu đề không xét dấu,
  // nên hệ số phải lớn (mặc định 0,8 để “Báo … hỏi … xây” trong tiêu đề đứng
  // trước bài “bảo hiểm xã hội”); gõ không dấu thì không bài nào được nhân.
  var RANKING = {
    diacriticSimilarity: 20,
    metaWeights: { title: 5, tags: 3, campaigns: 3, unit: 2 }
  };
  var WIDE = '(min-width: 600px)'; // như site.css: bộ lọc mở sẵn

  var MSG_IDLE = 'Nhập từ khóa để tìm tin bài, hoặc chọn một bộ lọc.';
  var MSG_BUSY = 'Đang tìm…';
  var MSG_FAILED = 'Chưa tải được bộ tìm kiếm. Vui lòng tải lại trang hoặc thử lại sau.';

  var root = document.querySelector('[data-search]');
  if (!root || !window.URLSearchParams || !String.prototype.normalize) {
    return;
  }
  var form = root.querySelector('.search-form');
  var input = form.querySelector('input[name="q"]');
  var status = root.querySelector('#search-status');
  var list = root.querySelector('.search-results');
  var more = root.querySelector('.search-more');
  var filterBox = form.querySelector('.search-filters-box');
  var chosenLabel = form.querySelector('.search-filters-chosen');
  var selects = {};
  FILTERS.forEach(function (name) {
    selects[name] = form.querySelector('select[name="' + name + '"]');
  });
  var bundle = new URL(root.getAttribute('data-bundle') || '/pagefind/', window.location.href).href;
  var shards = (root.getAttribute('data-shards') || '').split(/\s+/).filter(Boolean);
  var excerptWords = parseInt(root.getAttribute('data-excerpt-words'), 10) || 30;
  var pageSize = parseInt(root.getAttribute('data-page-size'), 10) || 10;

  var loading = null;
  var timer = 0;
  var current = { token: 0, results: [], shown: 0 };

  // Như core.fold (chuẩn NFC, “đ” thành “d” + U+0335), thêm chữ thường.
  function fold(text) {
    return text.normalize('NFC').replace(/\u0335/g, '').toLocaleLowerCase('vi').replace(/đ/g, 'd\u0335');
  }

  // Như core.unfold.
  function unfold(text) {
    return String(text || '').replace(STROKE, function (match, d) {
      return d === 'd' ? 'đ' : 'Đ';
    });
  }

  function number(n) {
    return n.toLocaleString('vi-VN');
  }

  function shardOptions(name) {
    var mark = {};
    mark[SHARD_FILTER] = name;
    return { basePath: bundle + name + '/', mergeFilter: mark, ranking: RANKING };
  }

  // Pagefind với phần mới nhất làm chỉ mục chính, các phần khác gộp vào; null khi chưa có tin bài nào.
  function pagefind() {
    if (!loading) {
      loading = !shards.length ? Promise.resolve(null) : import(bundle + 'pagefind.js').then(function (pf) {
        var primary = shardOptions(shards[0]);
        return Promise.resolve(pf.options({ basePath: primary.basePath, mergeFilter: primary.mergeFilter })).then(function () {
          return pf.init();
        }).then(function () {
          return pf.options({ ranking: primary.ranking }); // sau init: chỉ mục chính đã nạp
        }).then(function () {
          return Promise.all(shards.slice(1).concat([VOCABULARY]).map(function (name) {
            var options = shardOptions(name);
            return pf.mergeIndex(options.basePath, { mergeFilter: options.mergeFilter, ranking: options.ranking });
          }));
        }).then(function () {
          return pf;
        });
      });
      loading.catch(function () {
        loading = null; // thử lại ở lần tìm sau
      });
    }
    return loading;
  }

  function withShards(filters, value) {
    var copy = Object.assign({}, filters);
    copy[SHARD_FILTER] = value;
    return copy;
  }

  // Các phần mà một chỉ mục duy nhất có thể lấy kết quả từ đó: với mỗi từ
  // khóa có trong bảng từ, chỉ những phần chứa nó (hoặc chứa đúng từ mà
  // Pagefind thay cho nó khi không từ nào bắt đầu bằng nó).
  function searchedShards(pf, term) {
    var words = term ? term.split(' ').filter(Boolean) : [];
    var filters = {};
    filters[SHARD_FILTER] = VOCABULARY;
    filters[VOCABULARY_FILTER] = { any: shards }; // Pagefind đếm một bộ lọc chỉ khi nó có trong truy vấn
    return Promise.all(words.map(function (word) {
      return pf.search(word, { filters: filters });
    })).then(function (responses) {
      return responses.reduce(function (kept, response) {
        var counts = response.filters && response.filters[VOCABULARY_FILTER];
        if (!response.results.length) {
          return kept; // không phần nào có từ này: Pagefind bỏ qua nó ở mọi nơi
        }
        return kept.filter(function (name) { return counts && counts[name]; });
      }, shards);
    });
  }

  // Như pf.search trên một chỉ mục duy nhất. Khi sắp xếp theo ngày, Pagefind
  // xếp từng phần rồi trộn các phần theo thứ hạng trong phần: khi đó mỗi phần
  // có kết quả được tìm riêng rồi nối lại theo thứ tự các phần, mới nhất trước.
  function find(pf, term, options) {
    if (!pf) {
      return Promise.resolve({ results: [] });
    }
    return searchedShards(pf, term).then(function (kept) {
      if (!kept.length) {
        return { results: [] };
      }
      return pf.search(term, Object.assign({}, options, { filters: withShards(options.filters, { any: kept }) }));
    }).then(function (response) {
      var counts = response && options.sort && response.filters && response.filters[SHARD_FILTER];
      var found = shards.filter(function (name) { return counts && counts[name]; });
      if (found.length < 2) {
        return response;
      }
      return Promise.all(found.map(function (name) {
        return pf.search(term, Object.assign({}, options, { filters: withShards(options.filters, name) }));
      })).then(function (parts) {
        var results = [];
        parts.forEach(function (part) {
          results = results.concat(part.results);
        });
        return { results: results };
      });
    });
  }

  function say(message) {
    status.textContent = message;
  }

  function chosenFilters() {
    var chosen = {};
    FILTERS.forEach(function (name) {
      if (selects[name] && selects[name].value) {
        chosen[name] = selects[name].value;
      }
    });
    return chosen;
  }

  // Bộ lọc thu gọn vẫn cho biết có bao nhiêu bộ lọc đang chọn.
  function showChosen(filters) {
    if (chosenLabel) {
      var count = Object.keys(filters).length;
      chosenLabel.textContent = count ? ' (đang chọn ' + count + ')' : '';
    }
  }

  function readLocation() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get('q') || '';
    FILTERS.forEach(function (name) {
      var select = selects[name];
      if (!select) {
        return;
      }
      select.value = params.get(name) || '';
      if (select.selectedIndex < 0) {
        select.value = ''; // giá trị không còn trong danh sách
      }
    });
  }

  function writeLocation(query, filters) {
    var params = new URLSearchParams();
    if (query) {
      params.set('q', query);
    }
    FILTERS.forEach(function (name) {
      if (filters[name]) {
        params.set(name, filters[name]);
      }
    });
    var search = params.toString();
    var url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, '', url);
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // Đầu cửa sổ excerptWords từ chứa nhiều từ khớp nhất, bỏ qua tiêu đề (đã
  // hiện ở trên); không có từ khớp sau tiêu đề thì lấy đầu bài.
  function excerptStart(locations, skip) {
    var locs = locations.filter(function (l) { return l >= skip; });
    if (!locs.length) {
      return skip;
    }
    var best = 0;
    var bestEnd = 0;
    var from = 0;
    for (var i = 1; i < locs.length; i++) {
      while (locs[i] - locs[from] >= excerptWords) {
        from++;
      }
      if (i - from > bestEnd - best) {
        best = from;
        bestEnd = i;
      }
    }
    var span = locs[bestEnd] - locs[best] + 1;
    return locs[best] - Math.floor((excerptWords - span) / 2);
  }

  // Một từ để so: chữ thường, bỏ dấu câu hai đầu (đã gấp “đ” như fold).
  function bare(word) {
    return fold(word).replace(/^[^\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+$/gu, '');
  }

  function plain(word) {
    return word.normalize('NFD').replace(MARKS, '');
  }

  // Vị trí được tô: với mỗi từ khóa gõ có dấu, chỉ những từ bắt đầu đúng như
  // nó (“hội” không tô “hỏi”), trừ khi bài không có từ nào như thế; từ khóa
  // không dấu tô mọi từ khớp.
  function marked(words, locations, term) {
    var queries = term ? term.split(' ').filter(Boolean) : [];
    var keep = {};
    var loose = [];
    queries.forEach(function (q) {
      var base = plain(q);
      var near = locations.filter(function (l) { return plain(bare(words[l])).indexOf(base) === 0; });
      var exact = q === base ? near : near.filter(function (l) { return bare(words[l]).indexOf(q) === 0; });
      (exact.length ? exact : near).forEach(function (l) { keep[l] = true; });
      loose = loose.concat(near);
    });
    var chosen = locations.filter(function (l) { return keep[l]; });
    // Một vị trí không khớp từ khóa nào (Pagefind thay một từ không có trong chỉ mục): giữ như Pagefind trả về.
    var matched = {};
    loose.forEach(function (l) { matched[l] = true; });
    return chosen.concat(locations.filter(function (l) { return !matched[l]; })).sort(function (a, b) { return a - b; });
  }

  // Đoạn trích đủ dấu: các từ của nội dung gốc, tách theo khoảng trắng như
  // Pagefind (vị trí trong data.locations là số thứ tự của từ), từ khớp trong <mark>.
  function excerpt(data, term) {
    var paragraph = element('p', 'search-excerpt');
    var words = unfold(data.content).split(/[\r\n\s]+/g);
    var unique = {};
    var locations = marked(words, (data.locations || []).filter(function (l) {
      var fresh = l >= 0 && l < words.length && !unique[l];
      unique[l] = true;
      return fresh;
    }), term);
    var seen = {};
    locations.forEach(function (l) { seen[l] = true; });
    var title = unfold(data.meta && data.meta.title).split(/\s+/).filter(Boolean).length;
    var skip = title < words.length ? title : 0;
    var start = excerptStart(locations, skip);
    start = Math.max(skip, Math.min(start, words.length - excerptWords));
    var end = Math.min(words.length, start + excerptWords);
    var buffer = start > skip ? '… ' : '';
    function flush() {
      if (buffer) {
        paragraph.appendChild(document.createTextNode(buffer));
        buffer = '';
      }
    }
    for (var i = start; i < end; i++) {
      var word = words[i];
      if (i > start) {
        buffer += ' ';
      }
      if (!seen[i]) {
        buffer += word;
        continue;
      }
      // Dấu câu quanh từ khớp nằm ngoài <mark>.
      var parts = /^([^\p{L}\p{M}\p{N}]*)(.*?)([^\p{L}\p{M}\p{N}]*)$/u.exec(word);
      var core = parts && parts[2] ? parts : ['', '', word, ''];
      buffer += core[1];
      flush();
      paragraph.appendChild(element('mark', '', core[2]));
      buffer += core[3];
    }
    buffer += end < words.length ? ' …' : '';
    flush();
    return paragraph;
  }

  function result(data, term) {
    var meta = data.meta || {};
    var item = element('li', 'search-result');
    var body = element('div', 'search-body');
    var heading = element('h2', 'search-title');
    var link = element('a', '', unfold(meta.title) || data.url);
    link.href = data.url;
    heading.appendChild(link);
    body.appendChild(heading);

    var line = element('p', 'search-meta');
    var parts = [];
    if (meta.unit) {
      parts.push(element('span', 'search-unit', unfold(meta.unit)));
    }
    if (meta.date) {
      var time = element('time', '', meta.date);
      if (meta.datetime) {
        time.setAttribute('datetime', meta.datetime);
      }
      parts.push(time);
    }
    if (meta.type) {
      parts.push(element('span', 'search-type', unfold(meta.type)));
    }
    parts.forEach(function (part, index) {
      if (index) {
        var sep = element('span', 'sep', ' · ');
        sep.setAttribute('aria-hidden', 'true');
        line.appendChild(sep);
      }
      line.appendChild(part);
    });
    body.appendChild(line);
    body.appendChild(excerpt(data, term));
    item.appendChild(body);

    if (meta.image) {
      var image = element('img', 'search-thumb');
      image.src = meta.image;
      image.alt = '';
      image.loading = 'lazy';
      image.decoding = 'async';
      item.appendChild(image);
    }
    return item;
  }

  function showMore(token, moveFocus) {
    var batch = current.results.slice(current.shown, current.shown + pageSize);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (token !== current.token) {
        return;
      }
      var first = null;
      items.forEach(function (data) {
        var item = result(data, current.term);
        list.appendChild(item);
        first = first || item;
      });
      current.shown += batch.length;
      more.hidden = current.shown >= current.results.length;
      if (moveFocus && first) {
        first.querySelector('a').focus();
      }
    });
  }

  function summary(query, count, filtered) {
    var quoted = '“' + query + '”';
    if (count) {
      if (!query) {
        return 'Có ' + number(count) + ' tin bài theo bộ lọc đã chọn.';
      }
      return 'Tìm thấy ' + number(count) + ' kết quả cho ' + quoted + (filtered ? ' theo bộ lọc đã chọn.' : '.');
    }
    if (!query) {
      return 'Không có tin bài nào theo bộ lọc đã chọn.';
    }
    return filtered
      ? 'Không tìm thấy kết quả nào cho ' + quoted + ' theo bộ lọc đã chọn. Hãy bỏ bớt bộ lọc hoặc thử từ khóa khác.'
      : 'Không tìm thấy kết quả nào cho ' + quoted + '. Hãy thử từ khóa khác hoặc ngắn hơn.';
  }

  function clear() {
    current.term = '';
    current.results = [];
    current.shown = 0;
    list.textContent = '';
    more.hidden = true;
  }

  function run() {
    window.clearTimeout(timer);
    var token = ++current.token;
    var query = input.value.replace(/\s+/g, ' ').trim();
    var filters = chosenFilters();
    var filtered = Object.keys(filters).length > 0;
    var term = fold(query);
    writeLocation(query, filters);
    showChosen(filters);
    if (!term && !filtered) {
      clear();
      say(MSG_IDLE);
      return Promise.resolve();
    }
    list.setAttribute('aria-busy', 'true');
    var slow = window.setTimeout(function () {
      if (token === current.token) {
        say(MSG_BUSY);
      }
    }, 400);
    var options = { filters: filters };
    if (!term) {
      options.sort = { date: 'desc' }; // chỉ lọc: tin mới nhất trước
    }
    return pagefind().then(function (pf) {
      return find(pf, term || null, options);
    }).then(function (response) {
      if (token !== current.token || !response) {
        return;
      }
      clear();
      current.term = term;
      current.results = response.results;
      return showMore(token, false).then(function () {
        if (token === current.token) {
          say(summary(query, response.results.length, filtered));
        }
      });
    }).catch(function () {
      if (token === current.token) {
        clear();
        say(MSG_FAILED);
      }
    }).then(function () {
      window.clearTimeout(slow);
      if (token === current.token) {
        list.removeAttribute('aria-busy');
      }
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener('focus', function () {
    pagefind().catch(function () {});
  }, { once: true });
  FILTERS.forEach(function (name) {
    if (selects[name]) {
      selects[name].addEventListener('change', run);
    }
  });
  more.addEventListener('click', function () {
    showMore(current.token, true);
  });

  if (filterBox && window.matchMedia && window.matchMedia(WIDE).matches) {
    filterBox.open = true;
  }
  readLocation();
  run();
})();
