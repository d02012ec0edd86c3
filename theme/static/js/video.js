/*
 * Video YouTube, Facebook bấm để xem (.video-embed): trang chỉ có ảnh và liên
 * kết tới video, không tải gì từ máy chủ ngoài. Khi người đọc bấm, khung phát
 * video (iframe, địa chỉ trong data-player) thay cho ảnh. Không có JavaScript
 * thì liên kết vẫn mở video trên trang gốc.
 */
(function () {
  'use strict';

  function play(box, event) {
    var player = box.getAttribute('data-player');
    if (!player) {
      return;
    }
    if (event) {
      event.preventDefault();
    }
    var frame = document.createElement('iframe');
    frame.src = player;
    frame.title = box.getAttribute('data-title') || 'Video';
    frame.className = 'video-embed-frame';
    frame.setAttribute('allow', 'autoplay; encrypted-media; picture-in-picture; fullscreen');
    frame.setAttribute('allowfullscreen', '');
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    box.replaceChildren(frame);
    box.classList.add('video-embed-playing');
    frame.focus();
  }

  function ready() {
    var boxes = document.querySelectorAll('.video-embed');
    Array.prototype.forEach.call(boxes, function (box) {
      var button = box.querySelector('.video-embed-play');
      var link = box.querySelector('.video-embed-link');
      if (button) {
        button.hidden = false;
        button.addEventListener('click', function (event) { play(box, event); });
      }
      if (link) {
        link.addEventListener('click', function (event) { play(box, event); });
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());
