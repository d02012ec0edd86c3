/*
 * Đầu trang trên điện thoại: nút "Danh mục" mở và đóng danh sách chuyên mục
 * (không có JavaScript thì đó là liên kết tới #danh-muc, CSS :target mở danh sách);
 * nút ẩn lưu ý toàn trang, nhớ trong trình duyệt cho đúng nội dung lưu ý đó.
 */
(function () {
  'use strict';

  var NOTICE_KEY = 'portal-notice-hidden';

  function setupMenu() {
    var toggle = document.querySelector('.menu-toggle');
    var nav = document.getElementById('danh-muc');
    if (!toggle || !nav) {
      return;
    }
    toggle.setAttribute('role', 'button');
    toggle.setAttribute('aria-controls', nav.id);
    toggle.setAttribute('aria-expanded', 'false');
    document.documentElement.classList.add('js-menu');

    function setOpen(open) {
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      nav.classList.toggle('is-open', open);
    }

    toggle.addEventListener('click', function (event) {
      event.preventDefault();
      setOpen(toggle.getAttribute('aria-expanded') !== 'true');
    });
    // Vai trò nút: phím cách cũng bấm được, như một nút thật.
    toggle.addEventListener('keydown', function (event) {
      if (event.key === ' ') {
        event.preventDefault();
        toggle.click();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  function storedNotice() {
    try {
      return window.localStorage.getItem(NOTICE_KEY);
    } catch (e) {
      return null;
    }
  }

  function setupNotice() {
    var notice = document.querySelector('.site-notice');
    var button = notice ? notice.querySelector('.site-notice-close') : null;
    var text = notice ? notice.querySelector('p') : null;
    if (!button || !text) {
      return;
    }
    var message = text.textContent.trim();
    if (storedNotice() === message) {
      notice.hidden = true;
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      notice.hidden = true;
      try {
        window.localStorage.setItem(NOTICE_KEY, message);
      } catch (e) {
        // Trình duyệt không cho lưu: chỉ ẩn trên trang này.
      }
      var main = document.getElementById('noi-dung');
      if (main) {
        main.focus();
      }
    });
  }

  setupMenu();
  setupNotice();
}());
