/* Links to video sites (templates/learning/views/video_link.html): the page
 * shows a placeholder and loads nothing from the site; the visitor's click
 * puts the site's player in its place (the page's Content-Security-Policy
 * allows that one player host as a frame, nothing else). */
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-learning-play]');
    if (!button) { return; }
    var box = button.closest('[data-learning-preview="video-link"]');
    var frame = document.createElement('iframe');
    frame.src = box.getAttribute('data-player');
    frame.title = box.getAttribute('data-player-title');
    frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
    // the sites refuse to play without the page's origin (ours sends none)
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    frame.className = 'learning-video-frame';
    var holder = box.querySelector('[data-learning-player]');
    holder.replaceChildren(frame);
    box.setAttribute('data-loaded', 'true');
    frame.focus();
  });
}());
