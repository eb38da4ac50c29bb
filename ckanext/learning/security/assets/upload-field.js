/* The buttons of the resource form's file-or-link field
 * (package/snippets/resource_upload_field.html) without inline handlers,
 * which the Content-Security-Policy does not run: one listener for the
 * whole page does what core's onclick attributes did. */
(function () {
  'use strict';
  function byId(id) { return document.getElementById(id); }
  function check(id) { var box = byId(id); if (box) { box.checked = true; } }
  function focusFirst() {
    var first = byId('resource-upload-button') || byId('resource-link-button');
    if (first) { first.focus(); }
  }
  var actions = {
    'upload': function () { check('resource-url-upload'); byId('field-resource-upload').click(); },
    'link': function () { check('resource-url-link'); byId('field-resource-url').focus(); },
    'clear-upload': function () { check('field-clear-upload'); byId('field-resource-upload').focus(); },
    'remove-upload': function () {
      check('resource-url-none');
      focusFirst();
      // a file input is emptied by replacing it, as core does (its handlers kept)
      var $ = window.jQuery;
      $('#field-resource-upload').replaceWith($('#field-resource-upload').val('').clone(true));
    },
    'remove-url': function () { check('resource-url-none'); focusFirst(); byId('field-resource-url').value = ''; }
  };
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-learning-upload]');
    var action = button && actions[button.getAttribute('data-learning-upload')];
    if (action) { action(); }
  });
}());
