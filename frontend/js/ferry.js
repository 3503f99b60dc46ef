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

// Times are shown relative ("3 min ago") with the exact time on hover; the server renders
// the exact time, so pages read correctly without this script too.
(function () {
  'use strict';
  var units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  var format = typeof Intl !== 'undefined' && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(document.documentElement.lang || 'en', { numeric: 'auto', style: 'short' })
    : null;

  function relative(root) {
    if (!format) {
      return;
    }
    root.querySelectorAll('time[data-relative][datetime]').forEach(function (el) {
      var then = Date.parse(el.getAttribute('datetime'));
      if (isNaN(then)) {
        return;
      }
      var seconds = Math.round((then - Date.now()) / 1000);
      for (var i = 0; i < units.length; i++) {
        if (Math.abs(seconds) >= units[i][1] || units[i][0] === 'second') {
          if (!el.title) {
            el.title = el.textContent.trim();
          }
          el.textContent = format.format(Math.round(seconds / units[i][1]), units[i][0]);
          return;
        }
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () { relative(document); });
  document.addEventListener('htmx:afterSettle', function (event) { relative(event.target); });
  setInterval(function () { relative(document); }, 60000);
})();

// Forms that destroy something ask first (data-confirm holds the question).
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute && event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// In the plan editor, a problem's location moves the caret to that line of the text.
document.addEventListener('click', function (event) {
  var link = event.target.closest('a.loc[data-line]');
  var text = document.getElementById('yaml');
  if (!link || !text) {
    return;
  }
  event.preventDefault();
  var line = parseInt(link.getAttribute('data-line'), 10);
  var lines = text.value.split('\n');
  var start = 0;
  for (var i = 0; i < line - 1 && i < lines.length; i++) {
    start += lines[i].length + 1;
  }
  var end = start + (lines[line - 1] || '').length;
  text.focus();
  text.setSelectionRange(start, end);
  var lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
  text.scrollTop = Math.max(0, (line - 3) * lineHeight);
});

// Keyboard shortcuts of the review form: a key clicks the element with that
// data-shortcut ("1" to "9" pick a candidate, "u" undo); "n" and "/" go to the no-match
// reason and the search box; Esc leaves a text field. Never while typing.
(function () {
  'use strict';
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
    if (typing) {
      if (event.key === 'Escape') {
        target.blur();
      }
      return;
    }
    var key = event.key.toLowerCase();
    if (key === 'n' || key === '/') {
      var field = document.getElementById(key === 'n' ? 'no-match-reason' : 'search-q');
      if (field) {
        event.preventDefault();
        field.focus();
      }
      return;
    }
    var button = document.querySelector('[data-shortcut="' + key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();

// Bars get their size from data attributes (data-width: a percentage, data-grow: a share),
// set through the DOM: the Content-Security-Policy allows no style attribute in the markup.
(function () {
  function size(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll('[data-width]').forEach(function (el) {
      var percent = parseFloat(el.getAttribute('data-width'));
      if (!isNaN(percent)) {
        el.style.width = Math.max(0, Math.min(100, percent)) + '%';
      }
    });
    root.querySelectorAll('[data-grow]').forEach(function (el) {
      var grow = parseFloat(el.getAttribute('data-grow'));
      if (!isNaN(grow)) {
        el.style.flexGrow = String(Math.max(0, grow));
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () { size(document); });
  document.addEventListener('htmx:afterSettle', function () { size(document); });
})();

// A refused decision (409) answers with the item as it is now and the reason, marked with
// HX-Reswap: show it in place like any other answer instead of a generic failure.
document.addEventListener('htmx:beforeSwap', function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status === 409 && xhr.getResponseHeader('HX-Reswap')) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The review queue's list at the keyboard: J/K (or the arrow keys) move between items, A
// accepts the selected item's best match in its row, U undoes that, Enter opens the item.
(function () {
  'use strict';
  var selected = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#queue-list tr.queue-row'));
  }

  function select(row) {
    if (selected) {
      selected.classList.remove('row-selected');
      selected.removeAttribute('aria-selected');
    }
    selected = row;
    if (row) {
      row.classList.add('row-selected');
      row.setAttribute('aria-selected', 'true');
      row.scrollIntoView({ block: 'nearest' });
    }
  }

  function current() {
    // a swapped row replaces the element: find it again by its id
    if (selected && !document.body.contains(selected)) {
      selected = document.getElementById(selected.id);
      if (selected) {
        selected.classList.add('row-selected');
      }
    }
    return selected;
  }

  document.addEventListener('keydown', function (event) {
    if (!document.getElementById('queue-list') || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) {
      return;
    }
    var all = rows();
    if (!all.length) {
      return;
    }
    var row = current();
    var at = row ? all.indexOf(row) : -1;
    var key = event.key;
    if (key === 'j' || key === 'ArrowDown') {
      event.preventDefault();
      select(all[Math.min(all.length - 1, at + 1)]);
    }
    else if (key === 'k' || key === 'ArrowUp') {
      event.preventDefault();
      select(all[Math.max(0, at - 1)]);
    }
    else if (row && (key === 'a' || key === 'u')) {
      var button = row.querySelector(key === 'a' ? 'form.row-accept button' : 'form.row-undo button');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
    else if (row && key === 'Enter') {
      var open = row.querySelector('a.row-open');
      if (open) {
        event.preventDefault();
        open.click();
      }
    }
  });

  document.addEventListener('htmx:afterSettle', function (event) {
    if (event.detail.elt && event.detail.elt.id === 'queue-list') {
      selected = null;
    }
    else {
      current();
    }
  });
})();
