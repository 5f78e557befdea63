// Authen Code pages: scan the unit's QR code with the camera (jsQR on video frames), copy the code.
// Without JavaScript the pages still work: upload a photo of the QR code, select the code text.
(function () {
  'use strict';
  var scanner = document.getElementById('scanner');
  if (scanner && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR) {
    scanner.hidden = false;
    var video = document.getElementById('scan-video');
    var status = document.getElementById('scan-status');
    var canvas = document.createElement('canvas');
    var context = canvas.getContext('2d', { willReadFrequently: true });
    var prefix = location.origin + '/q/';
    document.getElementById('scan-start').addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var tick = function () {
          if (video.readyState === video.HAVE_ENOUGH_DATA) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            var found = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
            if (found && found.data.indexOf(prefix) === 0) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              location.assign(found.data);
              return;
            }
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }, function (err) {
        status.textContent = err && err.name === 'NotAllowedError' ? '🚫 camera' : String(err && err.message || err);
      });
    });
  }
  var copy = document.getElementById('copy-code');
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      var input = document.getElementById(copy.getAttribute('data-target'));
      navigator.clipboard.writeText(input.value).then(function () { copy.setAttribute('aria-pressed', 'true'); });
    });
  }
})();
