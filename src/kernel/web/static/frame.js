// The frame's progressive enhancements, on every page (no inline script: strict CSP). Without it every
// page still works: the error summary is announced (role="alert") and password fields stay fields.
// - After a failed submit, focus moves to the error summary (.error-summary, or a page's own #form-error
//   message; tabindex="-1"); its links move focus to their field and bring its label into view.
// - Each password field gets a "Show password" toggle (texts from the body's data-* attributes).
(() => {
  'use strict';
  const focusField = (id) => {
    const target = document.getElementById(id);
    if (!target) return false;
    const field = target.matches('input, select, textarea, button') ? target : target.querySelector('input, select, textarea');
    if (!field) return false;
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`) || field.closest('fieldset')?.querySelector('legend');
    field.focus({ preventScroll: true });
    (label || field).scrollIntoView({ block: 'start' });
    return true;
  };

  const errorSummary = () => {
    const summary = document.querySelector('.error-summary') || document.getElementById('form-error');
    if (!summary || !summary.textContent.trim()) return;
    if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
    summary.focus();
    summary.addEventListener('click', (event) => {
      const link = event.target.closest('a[href^="#"]');
      if (link && focusField(decodeURIComponent(link.getAttribute('href').slice(1)))) event.preventDefault();
    });
  };

  const passwordToggles = () => {
    const texts = document.body.dataset;
    let n = 0;
    for (const input of document.querySelectorAll('input[type="password"]:not([data-no-toggle])')) {
      if (!input.id) input.id = `password-field-${++n}`;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'password-toggle secondary';
      button.setAttribute('aria-controls', input.id);
      button.textContent = texts.showPassword;
      const status = document.createElement('span');
      status.className = 'visually-hidden';
      status.setAttribute('aria-live', 'polite');
      button.addEventListener('click', () => {
        const show = input.type === 'password';
        input.type = show ? 'text' : 'password';
        button.textContent = show ? texts.hidePassword : texts.showPassword;
        status.textContent = show ? texts.passwordShown : texts.passwordHidden;
      });
      // hidden again before the form is sent, so the browser's password manager sees a password field
      input.form?.addEventListener('submit', () => {
        input.type = 'password';
      });
      input.insertAdjacentElement('afterend', status);
      input.insertAdjacentElement('afterend', button);
    }
  };

  const start = () => {
    passwordToggles();
    errorSummary();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
