// Formatting and small DOM helpers shared by the pages. Plain ES module, no dependencies.

/** Escapes text for HTML/SVG markup. */
export function esc(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A duration in ms as `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function fmtDuration(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A timestamp as local time; the date too when it is not today. */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const now = new Date();
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })} ${time}`;
}

/** ms between two ISO timestamps (or until now). */
export function between(startIso, endIso) {
  if (!startIso) return undefined;
  const end = endIso ? new Date(endIso).getTime() : Date.now();
  return end - new Date(startIso).getTime();
}

/** The statuses in display order, with a glyph so status never depends on colour alone. */
export const STATUS_GLYPH = {
  pending: '○',
  waiting: '◔',
  running: '▶',
  success: '✓',
  failed: '✗',
  timed_out: '⧗',
  cancelled: '⊘',
  skipped: '↷',
  interrupted: '⚠',
};
export const TASK_STATUSES = ['running', 'failed', 'timed_out', 'cancelled', 'skipped', 'pending', 'success'];

/** The status to show of an execution: `interrupted` when it says running but its process is gone. */
export const executionStatus = (e) => (e.status === 'running' && e.interrupted ? 'interrupted' : e.status);

/** A status badge's HTML. */
export function badge(status) {
  const s = esc(status);
  return `<span class="badge s-${s}"><span aria-hidden="true">${STATUS_GLYPH[status] ?? '•'}</span> ${s.replace('_', ' ')}</span>`;
}

/** Creates an element: `h('button', { class: 'x', onclick }, 'text', child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'html') el.innerHTML = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Parses `#/path?query` into `{ parts, query }`. */
export function parseHash(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, qs = ''] = text.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs) };
}

/** Builds a hash link from path parts and query values (empty values left out). */
export function hashOf(parts, query = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const q = qs.toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
}

/** Task counts as a compact, accessible stacked bar. */
export function countsBar(counts, total) {
  const order = ['success', 'running', 'failed', 'timed_out', 'cancelled', 'skipped', 'pending'];
  const sum = total || Object.values(counts).reduce((a, b) => a + b, 0) || 1;
  const parts = order.filter((s) => counts[s]).map((s) => `${counts[s]} ${s.replace('_', ' ')}`);
  const bar = h('span', { class: 'counts-bar', role: 'img', 'aria-label': parts.join(', ') || 'no tasks' });
  for (const s of order) {
    if (!counts[s]) continue;
    const seg = h('span', { class: `seg s-${s}` });
    seg.style.width = `${(counts[s] / sum) * 100}%`;
    bar.append(seg);
  }
  return bar;
}

/** Shows an error message (role=alert) at the top of `root`. */
export function showError(root, error) {
  const box = h('div', { class: 'error-box', role: 'alert' }, error?.message ?? String(error));
  root.prepend(box);
  return box;
}
