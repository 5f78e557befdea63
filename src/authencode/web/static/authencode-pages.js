// Authen Code pages (staff confirm, citizen confirm, results, unit code): show only the chosen
// option's fields (the staff's method, the citizen's "for a family member"), copy a code, say at once
// which photo file cannot be used, and move focus to a form's error summary. Without JavaScript every
// option's fields show and the server reads only the chosen one's.
(function () {
  'use strict';
  var summary = document.getElementById('form-error');
  if (summary) {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }

  var radios = document.querySelectorAll('input[type="radio"][data-choice]');
  var sections = document.querySelectorAll('[data-choice-section]');
  function showChosen() {
    var chosen = '';
    for (var i = 0; i < radios.length; i++) if (radios[i].checked) chosen = radios[i].value;
    for (var j = 0; j < sections.length; j++) {
      // a section may serve several choices: data-choice-section="card photo"
      sections[j].hidden = chosen !== '' && sections[j].getAttribute('data-choice-section').split(' ').indexOf(chosen) < 0;
    }
  }
  for (var r = 0; r < radios.length; r++) radios[r].addEventListener('change', showChosen);
  if (radios.length) showChosen();

  var copies = document.querySelectorAll('button.copy-code[data-target]');
  for (var c = 0; c < copies.length; c++) {
    (function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        var input = document.getElementById(button.getAttribute('data-target'));
        navigator.clipboard.writeText(input.value).then(function () {
          button.setAttribute('aria-pressed', 'true');
          var said = document.getElementById(button.getAttribute('data-status'));
          if (said) said.textContent = button.getAttribute('data-copied');
        });
      });
    })(copies[c]);
  }

  function size(n) {
    return n >= 1048576 ? Math.round(n / 104857.6) / 10 + ' MB' : Math.round(n / 1024) + ' KB';
  }
  var files = document.querySelectorAll('input[type="file"][data-max-bytes]');
  for (var f = 0; f < files.length; f++) {
    (function (input) {
      var out = document.getElementById(input.getAttribute('data-error'));
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        var max = Number(input.getAttribute('data-max-bytes'));
        var text = '';
        if (file && !/^image\/(jpeg|png)$/.test(file.type)) text = input.getAttribute('data-not-image');
        else if (file && file.size > max) text = input.getAttribute('data-too-large');
        var values = { file: file ? file.name : '', size: file ? size(file.size) : '', max: size(max) };
        text = (text || '').replace(/\{(file|size|max)\}/g, function (_, k) { return values[k]; });
        if (out) out.textContent = text;
        if (text) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      });
    })(files[f]);
  }
})();
