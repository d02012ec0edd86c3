/*
 * Chia sẻ bài viết: nút Zalo (Web Share API nếu có, nếu không thì sao chép
 * liên kết) và nút "Sao chép liên kết". Không dùng thư viện hay dịch vụ ngoài.
 * Thông báo kết quả qua vùng aria-live (.share-status) trong cùng khối .share.
 */
(function () {
  'use strict';

  var MSG_COPIED = 'Đã sao chép liên kết bài viết.';
  var MSG_ZALO = 'Đã sao chép liên kết, hãy dán vào Zalo để chia sẻ';
  var MSG_FAILED = 'Không sao chép được tự động. Hãy sao chép địa chỉ sau: ';

  function announce(button, message) {
    var box = button.closest('.share');
    var region = box ? box.querySelector('.share-status') : null;
    if (!region) {
      return;
    }
    // Xoá rồi đặt lại để trình đọc màn hình đọc cả khi thông báo lặp lại.
    region.textContent = '';
    window.setTimeout(function () {
      region.textContent = message;
    }, 60);
  }

  function legacyCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.top = '0';
    area.style.left = '-9999px';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text); }
      );
    }
    return Promise.resolve(legacyCopy(text));
  }

  function copyAndAnnounce(button, url, okMessage) {
    copyText(url).then(function (ok) {
      announce(button, ok ? okMessage : MSG_FAILED + url);
    });
  }

  function onZalo(button) {
    var url = button.getAttribute('data-url') || window.location.href;
    if (navigator.share) {
      navigator.share({
        title: button.getAttribute('data-title') || document.title,
        url: url
      }).catch(function (err) {
        // Người dùng tự đóng bảng chia sẻ: không làm gì thêm.
        if (!err || err.name !== 'AbortError') {
          copyAndAnnounce(button, url, MSG_ZALO);
        }
      });
      return;
    }
    copyAndAnnounce(button, url, MSG_ZALO);
  }

  function onCopy(button) {
    var url = button.getAttribute('data-url') || window.location.href;
    copyAndAnnounce(button, url, MSG_COPIED);
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || !target.closest) {
      return;
    }
    var zalo = target.closest('.share-zalo');
    if (zalo) {
      event.preventDefault();
      onZalo(zalo);
      return;
    }
    var copy = target.closest('.share-copy');
    if (copy) {
      event.preventDefault();
      onCopy(copy);
    }
  });

  // Nút chỉ hoạt động khi có JavaScript: đánh dấu để CSS hiện chúng.
  document.documentElement.classList.add('js');
})();
