// Ferry's small amount of browser code: CSRF for htmx requests, failure messages for htmx
// requests, dismissable flash messages. Everything also works without it as full pages.
(function () {
  'use strict';

  function csrf() {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    return token && header ? { header: header.content, token: token.content } : null;
  }

  document.addEventListener('htmx:configRequest', function (event) {
    var c = csrf();
    if (c) {
      event.detail.headers[c.header] = c.token;
    }
  });

  // htmx does not swap error responses; say in words that the request failed.
  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    var area = document.getElementById('flash');
    if (!area || xhr.getResponseHeader('HX-Refresh')) {
      return;
    }
    var template = document.body.getAttribute('data-error-text') || 'The request failed ({0}). Reload the page and try again.';
    area.innerHTML = '';
    var box = document.createElement('div');
    box.className = 'flash flash-error';
    box.setAttribute('role', 'alert');
    box.textContent = template.replace('{0}', xhr.status + ' ' + (xhr.statusText || ''));
    area.appendChild(box);
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-dismiss]');
    if (button) {
      var flash = button.closest('.flash');
      if (flash) {
        flash.remove();
      }
    }
  });
})();
