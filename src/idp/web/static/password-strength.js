// Password strength hint: <input data-strength="id-of-output">, output holds data-labels (five words,
// "|"-separated) and is aria-live. zxcvbn (the same estimator and common-password list the server
// uses) is loaded only when a password field is first focused. No inline script (strict CSP).
(() => {
  'use strict';
  let ready;
  const load = (src) =>
    new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  const estimator = () =>
    (ready ??= Promise.all([load('/static/zxcvbn-core.js'), load('/static/zxcvbn-common.js')]).then(() => {
      const { ZxcvbnFactory } = window.zxcvbnts.core;
      const { dictionary, adjacencyGraphs } = window.zxcvbnts['language-common'];
      return new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
    }));

  document.addEventListener('DOMContentLoaded', () => {
    for (const input of document.querySelectorAll('input[data-strength]')) {
      const output = document.getElementById(input.dataset.strength);
      if (!output) continue;
      const labels = (output.dataset.labels || '').split('|');
      input.addEventListener('focus', () => void estimator().catch(() => undefined), { once: true });
      let timer;
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          if (!input.value) {
            output.textContent = '';
            return;
          }
          const zxcvbn = await estimator();
          const { score } = await zxcvbn.checkAsync(Array.from(input.value).slice(0, 32).join(''));
          output.textContent = output.dataset.prefix + (labels[score] || '');
          output.dataset.score = String(score);
        }, 250);
      });
    }
  });
})();
