/*
 * Cột bên của trang bài: lấy danh sách tin mới nhất (của đơn vị, của cả trang) từ một tệp chung
 * (/khoi/moi-nhat…html) rồi đặt vào chỗ liên kết "Xem tin mới nhất". Tệp chung đổi khi có tin mới,
 * các trang bài thì không. Không có JavaScript hay không tải được: liên kết vẫn ở đó.
 */
(function () {
  'use strict';

  function fill(block) {
    var src = block.getAttribute('data-side-src');
    fetch(src, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var list = doc.querySelector('[data-side-list]');
        if (!list) { return; }
        var here = window.location.pathname;
        list.querySelectorAll('.side-item').forEach(function (item) {
          var link = item.querySelector('a');
          if (link && new URL(link.getAttribute('href'), window.location.href).pathname === here) {
            item.remove();
          }
        });
        if (!list.children.length) { return; }
        list.removeAttribute('data-side-list');
        var fallback = block.querySelector('.side-fallback');
        block.insertBefore(document.importNode(list, true), fallback);
        block.classList.add('is-loaded');
      })
      .catch(function () { /* liên kết "Xem tin mới nhất" vẫn dùng được */ });
  }

  function start() {
    document.querySelectorAll('[data-side-src]').forEach(fill);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
