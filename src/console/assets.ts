// The console's stylesheet and script, served by the Worker itself (no CDN) at
// /console/assets/*: the Content-Security-Policy allows 'self' only, no inline script or style.

export const CONSOLE_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --accent: #0b5cad; --bad: #b3261e; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid var(--line); }
header a { color: inherit; text-decoration: none; font-weight: 600; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
form.inline { display: inline; }
form.stack { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
label { display: flex; flex-direction: column; font-size: 0.9rem; color: var(--muted); }
input, select, button { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--fg); }
button { cursor: pointer; background: #f6f8fa; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { color: var(--bad); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
p code { overflow-wrap: anywhere; }
code, pre, .secret { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9rem; }
pre { background: #f6f8fa; padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.secret { display: block; padding: 0.75rem; background: #fff8c5; border: 1px solid #d4a72c; word-break: break-all; }
.status-2, .status-3 { color: var(--ok); } .status-4, .status-5 { color: var(--bad); }
.notice { padding: 0.5rem 0.75rem; border-left: 4px solid var(--accent); background: #ddf4ff; }
.error { padding: 0.5rem 0.75rem; border-left: 4px solid var(--bad); background: #ffebe9; }
ol li { margin: 0.25rem 0; }
@media (max-width: 40rem) { th, td { white-space: normal; } }
`;

export const CONSOLE_JS = `
// Copy buttons (data-copy names the element whose text is copied) and confirmations
// (a form with data-confirm asks first). No inline script: the CSP allows this file only.
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.addEventListener('click', function () {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = 'Copy'; }, 1500);
    });
  });
});
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  });
});
`;
