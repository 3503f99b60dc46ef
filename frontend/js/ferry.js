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

// Forms that destroy something ask first, in the page: data-confirm holds the question (it
// says what will happen), the form's submit button names the action. A field of the form
// with data-confirm-expect (the plan id a large rollback needs) is asked for in the dialog,
// and the action stays disabled until it matches. Without this script the browser submits
// the form as it is: the field is then part of the form, and the server checks it.
(function () {
  'use strict';
  var supported = typeof HTMLDialogElement === 'function' && 'showModal' in HTMLDialogElement.prototype;
  var dialog;
  var pending = null;

  function part(id) {
    return document.getElementById('confirm-dialog-' + id);
  }

  function build() {
    var d = document.createElement('dialog');
    d.id = 'confirm-dialog';
    d.className = 'confirm-dialog';
    d.setAttribute('aria-labelledby', 'confirm-dialog-title');
    d.setAttribute('aria-describedby', 'confirm-dialog-text');
    d.innerHTML = '<h2 id="confirm-dialog-title"></h2>'
      + '<p id="confirm-dialog-text"></p>'
      + '<p class="confirm-type" id="confirm-dialog-type" hidden><label for="confirm-dialog-input" id="confirm-dialog-label"></label>'
      + '<input type="text" id="confirm-dialog-input" autocomplete="off" spellcheck="false" autocapitalize="off"></p>'
      + '<div class="confirm-dialog-actions">'
      + '<button type="button" class="btn" id="confirm-dialog-cancel"></button>'
      + '<button type="button" class="btn" id="confirm-dialog-ok"></button></div>';
    document.body.appendChild(d);
    part('cancel').addEventListener('click', function () { d.close('cancel'); });
    part('ok').addEventListener('click', confirmed);
    part('input').addEventListener('input', matches);
    part('input').addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        if (!part('ok').disabled) {
          confirmed();
        }
      }
    });
    // a click on the backdrop (outside the box) is a Cancel, as Escape is
    d.addEventListener('click', function (event) {
      if (event.target === d) {
        var box = d.getBoundingClientRect();
        if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) {
          d.close('cancel');
        }
      }
    });
    d.addEventListener('close', function () {
      var back = pending && pending.submitter;
      pending = null;
      if (back && back.isConnected && d.returnValue !== 'confirm') {
        back.focus();
      }
    });
    return d;
  }

  function matches() {
    if (pending && pending.expect) {
      part('ok').disabled = part('input').value.trim() !== pending.expect;
    }
  }

  function open(form, submitter) {
    dialog = dialog || build();
    var body = document.body;
    var field = form.querySelector('[data-confirm-expect]');
    var label = field && field.id ? form.querySelector('label[for="' + field.id + '"]') : null;
    pending = { form: form, submitter: submitter, expect: field ? field.getAttribute('data-confirm-expect') : null };
    part('title').textContent = body.getAttribute('data-confirm-title') || 'Please confirm';
    part('text').textContent = form.getAttribute('data-confirm');
    part('cancel').textContent = form.getAttribute('data-confirm-dismiss') || body.getAttribute('data-confirm-cancel') || 'Cancel';
    var ok = part('ok');
    ok.textContent = (submitter && submitter.textContent.trim()) || 'OK';
    var danger = submitter && /\bbtn-danger/.test(submitter.className);
    ok.className = 'btn ' + (danger ? 'btn-danger-solid' : 'btn-primary');
    ok.disabled = false;
    part('type').hidden = !field;
    part('input').value = '';
    if (field) {
      part('label').textContent = label ? label.textContent : pending.expect;
      matches();
    }
    dialog.returnValue = '';
    dialog.showModal();
    (field ? part('input') : part('cancel')).focus();
  }

  function confirmed() {
    if (!pending) {
      return;
    }
    var form = pending.form;
    var submitter = pending.submitter;
    if (!form.isConnected) {
      // the live part of the page was swapped while the dialog was open: the same form,
      // if the page still offers it
      var action = form.getAttribute('action');
      form = Array.prototype.find.call(document.querySelectorAll('form[data-confirm]'), function (f) {
        return f.getAttribute('action') === action;
      });
      if (!form) {
        dialog.close('cancel');
        return;
      }
      submitter = form.querySelector('[type=submit]');
    }
    var field = form.querySelector('[data-confirm-expect]');
    if (field) {
      field.value = part('input').value.trim();
    }
    dialog.close('confirm');
    form.setAttribute('data-confirmed', '');
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    }
    else {
      form.submit();
    }
    // the submit event is dispatched within requestSubmit; a form the browser found
    // invalid asks again next time
    form.removeAttribute('data-confirmed');
  }

  // the dialog asks for the typed field: hidden in the form, and no longer required there
  function prepare(root) {
    if (!supported || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll('form[data-confirm] [data-confirm-expect]').forEach(function (field) {
      field.removeAttribute('required');
      (field.closest('.confirm-type') || field).hidden = true;
    });
  }

  document.addEventListener('DOMContentLoaded', function () { prepare(document); });
  document.addEventListener('htmx:afterSettle', function (event) { prepare(event.target); });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (!question) {
      return;
    }
    if (form.hasAttribute('data-confirmed')) {
      form.removeAttribute('data-confirmed');
      return;
    }
    event.preventDefault();
    if (supported) {
      open(form, event.submitter);
    }
    else if (window.confirm(question)) {
      form.setAttribute('data-confirmed', '');
      form.submit();
    }
  }, true);
})();

// The plan editor: a gutter of line numbers beside the text (scrolled with it), the lines
// the server reported problems on marked in it (the message on hover), and a problem's
// location moves the caret to its line and column. Without this script the problems are
// listed with their line and column, and each links to the line in the annotated list.
(function () {
  'use strict';
  var text;
  var gutter;
  var count = 0;

  function problems() {
    var marks = {};
    document.querySelectorAll('#problems a.loc[data-line]').forEach(function (link) {
      var line = parseInt(link.getAttribute('data-line'), 10);
      if (isNaN(line)) {
        return;
      }
      var mark = marks[line] || (marks[line] = { error: false, messages: [] });
      mark.error = mark.error || !link.classList.contains('loc-warn');
      mark.messages.push(link.textContent.trim() + ': ' + (link.getAttribute('data-message') || ''));
    });
    return marks;
  }

  function draw() {
    var lines = text.value.split('\n').length;
    var marks = problems();
    var rows = document.createDocumentFragment();
    for (var i = 1; i <= lines; i++) {
      var row = document.createElement('div');
      row.className = 'gutter-line';
      row.setAttribute('data-line', String(i));
      var mark = marks[i];
      if (mark) {
        row.classList.add(mark.error ? 'gutter-error' : 'gutter-warn');
        row.title = mark.messages.join('\n');
        row.textContent = (mark.error ? '✕ ' : '⚠ ') + i;
      }
      else {
        row.textContent = String(i);
      }
      rows.appendChild(row);
    }
    // marks of lines past the end (the text got shorter since it was checked) are dropped
    gutter.firstChild.replaceChildren(rows);
    // wide enough for the longest number and a marker (the numbers are positioned, so
    // they give the gutter no width of their own)
    gutter.style.width = 'calc(' + (String(lines).length + 2) + 'ch + 1.4rem)';
    count = lines;
    sync();
  }

  function sync() {
    gutter.scrollTop = text.scrollTop;
  }

  function setUp() {
    text = document.getElementById('yaml');
    var box = document.getElementById('editor-code');
    if (!text || !box || gutter) {
      return;
    }
    gutter = document.createElement('div');
    gutter.className = 'editor-gutter';
    gutter.id = 'editor-gutter';
    gutter.setAttribute('aria-hidden', 'true');
    gutter.appendChild(document.createElement('div'));
    box.insertBefore(gutter, text);
    box.classList.add('with-gutter');
    text.addEventListener('scroll', sync);
    text.addEventListener('input', function () {
      if (text.value.split('\n').length !== count) {
        draw();
      }
    });
    draw();
  }

  document.addEventListener('DOMContentLoaded', setUp);
  document.addEventListener('htmx:afterSettle', function () {
    if (gutter) {
      draw();
    }
  });

  function caret(line, column) {
    var lines = text.value.split('\n');
    var target = Math.max(1, Math.min(line, lines.length));
    var start = 0;
    for (var i = 0; i < target - 1; i++) {
      start += lines[i].length + 1;
    }
    var at = start + Math.max(0, Math.min((column || 1) - 1, lines[target - 1].length));
    text.focus();
    text.setSelectionRange(at, at);
    var lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (target - 3) * lineHeight);
    sync();
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a.loc[data-line]');
    if (!link || !text || !document.getElementById('yaml')) {
      return;
    }
    event.preventDefault();
    caret(parseInt(link.getAttribute('data-line'), 10), parseInt(link.getAttribute('data-column'), 10));
  });
})();

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
