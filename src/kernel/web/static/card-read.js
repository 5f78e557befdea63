// The "Read card" button (src/kernel/web/card_reader): asks the unit's card reader agent on this
// computer for a card read signed over the page's challenge, fills the form's hidden card_read input,
// and shows the chip photo, name and dates to compare. Every text comes from the page's JSON block;
// a card of anyone but the person on the page is never put in the form.
(function () {
  'use strict';
  var box = document.getElementById('card-reader');
  if (!box || !window.fetch) return;
  var texts = JSON.parse(document.getElementById('card-read-texts').textContent);
  var button = document.getElementById('card_read');
  var status = document.getElementById('card-read-status');
  var alert = document.getElementById('card-read-alert');
  var card = document.getElementById('card-read-card');
  var photo = document.getElementById('card-read-photo');
  var input = document.getElementById('card_read_document');
  var BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
  box.hidden = false;

  function say(text, isError) {
    status.textContent = isError ? '' : text;
    alert.textContent = isError ? text : '';
  }

  // YYYYMMDD in the Buddhist era, as the chip gives it (00 for an unknown day or month)
  function chipDate(be) {
    if (!/^\d{8}$/.test(be || '')) return '';
    if (be === '99999999') return texts.lifelong;
    var year = Number(be.slice(0, 4)) - (texts.era === 'ce' ? 543 : 0);
    var month = Number(be.slice(4, 6));
    var day = Number(be.slice(6, 8));
    return [day || '', month ? texts.months[month - 1] : '', year].join(' ').trim();
  }

  function showCard(c) {
    document.getElementById('card-read-name').textContent = [c.title_th, c.given_name_th, c.middle_name_th, c.family_name_th].filter(Boolean).join(' ');
    document.getElementById('card-read-birthdate').textContent = chipDate(c.birthdate_be);
    document.getElementById('card-read-expiry').textContent = chipDate(c.expiry_date_be);
    if (typeof c.photo === 'string' && BASE64.test(c.photo)) {
      photo.src = 'data:image/jpeg;base64,' + c.photo;
      photo.hidden = false;
    } else {
      photo.hidden = true;
    }
    card.hidden = false;
  }

  // the agent's error codes (CardError, not_paired) to the page's texts
  var BY_CODE = { no_reader: 'noReader', no_card: 'noCard', card_removed: 'cardRemoved', timeout: 'timeout', not_paired: 'notPaired', not_thai_id: 'notThaiId', reader_busy: 'busy' };

  function refusal(res, body) {
    var key = body && BY_CODE[body.code];
    if (key) return texts[key];
    if (res.status === 418) return texts.noReader;
    if (res.status === 409) return texts.notPaired;
    return texts.failed;
  }

  function clearCard() {
    input.value = '';
    card.hidden = true;
    ['card-read-name', 'card-read-birthdate', 'card-read-expiry'].forEach(function (id) { document.getElementById(id).textContent = ''; });
    photo.removeAttribute('src');
  }

  button.addEventListener('click', function () {
    clearCard();
    button.disabled = true;
    box.setAttribute('aria-busy', 'true');
    say(texts.reading, false);
    fetch(box.getAttribute('data-agent') + '/api/mpid/card-read', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nonce: box.getAttribute('data-nonce'), readImage: true }),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(60000),
    }).then(function (res) {
      return res.json().catch(function () { return undefined; }).then(function (body) {
        if (!res.ok) return say(refusal(res, body), true);
        if (!body || typeof body.document !== 'string' || !body.card || typeof body.card !== 'object') return say(texts.failed, true);
        if (body.card.pid !== box.getAttribute('data-pid')) return say(texts.wrongPerson, true);
        input.value = body.document;
        showCard(body.card);
        var selects = box.getAttribute('data-selects');
        // the method the read is for, unless the chosen one uses the read too (its section holds the reader)
        var target = selects && document.getElementById(selects);
        var chosen = target && document.querySelector('input[name="' + target.name + '"]:checked');
        var section = box.closest('[data-choice-section]');
        var serves = section ? section.getAttribute('data-choice-section').split(' ') : [];
        if (target && !(chosen && serves.indexOf(chosen.value) >= 0)) target.checked = true;
        say(texts.done, false);
      });
    }, function (err) {
      // a refused connection (nothing listening) and a blocked one look the same to a page
      say(err && err.name === 'TimeoutError' ? texts.timeout : texts.agentDown, true);
    }).finally(function () {
      button.disabled = false;
      box.removeAttribute('aria-busy');
    });
  });
})();
