// Passkey buttons: <button data-passkey="register|login" data-options-url data-verify-url data-csrf
// [data-name-input]>. Fetches options, runs WebAuthn, posts the result as JSON, follows {redirect}
// or shows {error} in the nearest [data-passkey-error]. No inline script anywhere (strict CSP). The
// words for the browser's failures come from the page: <script type="application/json" id="passkey-texts">
// (by DOMException name, and `failed`), in the page's language; a browser's own message is never shown.
(() => {
  'use strict';
  let texts;
  const words = () => {
    if (!texts) {
      try {
        texts = JSON.parse(document.getElementById('passkey-texts')?.textContent || '{}');
      } catch {
        texts = {};
      }
    }
    return texts;
  };
  /** A refusal the server put in words for the page's language. */
  class ServerRefusal extends Error {}
  const b64urlToBuf = (s) => {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
  };
  const bufToB64url = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  async function post(url, csrf, body) {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    // the passkey routes answer {error: words}; a protocol error ({error: code, error_description}) is not for people
    if (!res.ok) throw typeof json.error === 'string' && json.error && !json.error_description ? new ServerRefusal(json.error) : new Error('failed');
    return json;
  }

  function creationOptions(o) {
    return {
      ...o,
      challenge: b64urlToBuf(o.challenge),
      user: { ...o.user, id: b64urlToBuf(o.user.id) },
      excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: b64urlToBuf(c.id) })),
    };
  }
  function requestOptions(o) {
    return { ...o, challenge: b64urlToBuf(o.challenge), allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: b64urlToBuf(c.id) })) };
  }

  // the credential as the server's verifier takes it (WebAuthn's toJSON shape), buffers in base64url
  function credentialJSON(cred, response) {
    return {
      id: cred.id,
      rawId: bufToB64url(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      response: { clientDataJSON: bufToB64url(cred.response.clientDataJSON), ...response },
    };
  }
  function registrationJSON(cred) {
    const r = cred.response;
    return credentialJSON(cred, {
      attestationObject: bufToB64url(r.attestationObject),
      transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
    });
  }
  function authenticationJSON(cred) {
    const r = cred.response;
    return credentialJSON(cred, {
      authenticatorData: bufToB64url(r.authenticatorData),
      signature: bufToB64url(r.signature),
      userHandle: r.userHandle ? bufToB64url(r.userHandle) : undefined,
    });
  }

  async function run(button) {
    const { passkey: kind, optionsUrl, verifyUrl, csrf, nameInput } = button.dataset;
    const errorBox = button.parentElement.querySelector('[data-passkey-error]');
    if (errorBox) errorBox.textContent = '';
    button.disabled = true;
    try {
      const name = nameInput ? document.getElementById(nameInput)?.value : undefined;
      const { challengeId, options } = await post(optionsUrl, csrf, {});
      const response =
        kind === 'register'
          ? registrationJSON(await navigator.credentials.create({ publicKey: creationOptions(options) }))
          : authenticationJSON(await navigator.credentials.get({ publicKey: requestOptions(options) }));
      const result = await post(verifyUrl, csrf, { challengeId, response, name });
      if (result.redirect) window.location.assign(result.redirect);
    } catch (err) {
      if (errorBox) errorBox.textContent = err instanceof ServerRefusal ? err.message : words()[err && err.name] || words().failed || '';
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const button of document.querySelectorAll('button[data-passkey]')) {
      if (!window.PublicKeyCredential) {
        button.hidden = true;
        continue;
      }
      button.addEventListener('click', () => run(button));
    }
  });
})();
