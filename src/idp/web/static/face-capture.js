// "Capture face" on the verifier's in-person form (in_person/views.ts): the counter PC's camera
// (getUserMedia), a still JPEG into the hidden face_capture input, then POST /verifier/in-person/compare
// with the card-read document (read or pasted): the server checks the document, compares the capture
// with its chip photo and answers the score, the threshold and the chip photo, shown side by side.
// Every word comes from the box's data attributes. Without a camera the page says so and the verifier
// compares by eye (the form then carries no capture: the record says no automated comparison was made).
(function () {
  'use strict';
  var box = document.getElementById('face-capture');
  if (!box) return;
  var form = box.closest('form');
  var w = box.dataset;
  var start = document.getElementById('face_capture_start');
  var take = document.getElementById('face_capture_take');
  var compareButton = document.getElementById('face_compare');
  var video = document.getElementById('face-capture-video');
  var status = document.getElementById('face-capture-status');
  var alert = document.getElementById('face-capture-alert');
  var pair = document.getElementById('face-compare');
  var still = document.getElementById('face-capture-photo');
  var chipFigure = document.getElementById('face-compare-chip-figure');
  var chip = document.getElementById('face-compare-chip');
  var score = document.getElementById('face-compare-score');
  var input = document.getElementById('face_capture');
  var stream = null;
  var MAX_SIDE = 640;
  box.hidden = false;

  function say(text, isError) {
    status.textContent = isError ? '' : text;
    alert.textContent = isError ? text : '';
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    take.hidden = true;
  }
  function noCamera() {
    stop();
    input.value = '';
    say(w.captureNoCamera, true);
  }
  function cardRead() {
    var read = form.querySelector('[name="card_read"]');
    var pasted = form.querySelector('[name="card_read_pasted"]');
    return (read && read.value.trim()) || (pasted && pasted.value.trim()) || '';
  }

  start.addEventListener('click', function () {
    say(w.captureStarting, false);
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return noCamera();
    stop();
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(function () {
      take.hidden = false;
      take.focus();
    }, noCamera);
  });

  take.addEventListener('click', function () {
    if (!stream || !video.videoWidth) return noCamera();
    var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    var canvas = document.createElement('canvas');
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    var jpeg = canvas.toDataURL('image/jpeg', 0.9);
    stop();
    input.value = jpeg;
    still.src = jpeg;
    chipFigure.hidden = true;
    score.textContent = '';
    pair.hidden = false;
    start.textContent = w.captureAgain;
    compareButton.hidden = false;
    compare();
  });

  compareButton.addEventListener('click', compare);

  function compare() {
    if (!input.value) return;
    var doc = cardRead();
    if (!doc) return say(w.needCard, false);
    say(w.comparing, false);
    compareButton.disabled = true;
    box.setAttribute('aria-busy', 'true');
    var body = new URLSearchParams({ csrf: form.elements.csrf.value, unit: form.elements.unit.value, sub: form.elements.sub.value, card_read: doc, face_capture: input.value });
    fetch('/verifier/in-person/compare', { method: 'POST', body: body, credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
      return res.json().catch(function () { return undefined; }).then(function (r) {
        if (!r) return say(w.compareFailed, true);
        if (typeof r.chip_photo === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(r.chip_photo)) {
          chip.src = 'data:image/jpeg;base64,' + r.chip_photo;
          chipFigure.hidden = false;
        }
        // the chip photo cannot be compared automatically: the form goes without the capture (by eye)
        if (r.clear) input.value = '';
        if (!res.ok) return say(typeof r.error === 'string' ? r.error : w.compareFailed, true);
        if (typeof r.score !== 'number') {
          score.textContent = w.noMatcher;
          return say(w.noMatcher, false);
        }
        var text = fill(w.score, { score: r.score.toFixed(3), threshold: r.threshold.toFixed(3) }) + ': ' + (r.matched ? w.scoreAbove : w.scoreBelow);
        score.textContent = text;
        score.className = 'face-compare-score ' + (r.matched ? 'above' : 'below');
        say(text, !r.matched);
      });
    }, function () {
      say(w.compareFailed, true);
    }).finally(function () {
      compareButton.disabled = false;
      box.removeAttribute('aria-busy');
    });
  }
})();
