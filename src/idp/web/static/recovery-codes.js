// The recovery codes page (shown once, after a new set is made): Copy puts the codes on the clipboard
// (or, where the browser refuses, selects them for Ctrl+C), Download saves them as a .txt file (a data:
// link made here) and Print opens the print dialog (app.css's print rules leave the codes and the
// warning). Without JavaScript the buttons stay hidden and the codes stay on the page, selectable.
(() => {
  'use strict';
  const start = () => {
    const list = document.getElementById('recovery-codes');
    const tools = document.getElementById('recovery-tools');
    const status = document.getElementById('recovery-tools-status');
    if (!list || !tools || !status) return;
    const codes = [...list.querySelectorAll('code')].map((c) => c.textContent.trim());
    const say = (text) => {
      status.textContent = text;
    };

    const select = () => {
      const range = document.createRange();
      range.selectNodeContents(list);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say(tools.dataset.copySelect);
    };
    tools.querySelector('[data-copy]').addEventListener('click', () => {
      if (!navigator.clipboard || !window.isSecureContext) return select();
      navigator.clipboard.writeText(codes.join('\n')).then(() => say(tools.dataset.copied), select);
    });

    const file = [tools.dataset.fileHeading, '', ...codes, ''].join('\r\n');
    const download = tools.querySelector('[data-download]');
    download.href = `data:text/plain;charset=utf-8,${encodeURIComponent(file)}`;

    tools.querySelector('[data-print]').addEventListener('click', () => window.print());
    tools.hidden = false;
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
