// A Gantt chart of task attempts: one row per task, a hatched bar for the time it waited for a slot
// (ready -> started) and a solid bar per attempt (retries side by side, numbered), the critical path
// outlined. Rows are drawn only when in view, so thousands of tasks stay cheap.

import { esc, fmtDuration, h } from '../format.js';

const ROW_H = 22;
const LABEL_W = 170;
const MARGIN = 6;

const ms = (iso) => (iso ? new Date(iso).getTime() : undefined);

function niceStep(span, px) {
  const target = (span / Math.max(1, px)) * 90; // a tick about every 90px
  const steps = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5,
  ];
  return steps.find((s) => s >= target) ?? 36e5 * Math.ceil(target / 36e5);
}

export function createGantt({ label, onSelect }) {
  let rows = [];
  let critical = new Set();
  let selected;
  let t0 = 0;
  let t1 = 1;
  let running = false;
  let sized = false;

  const axis = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  axis.setAttribute('class', 'gantt-axis');
  axis.setAttribute('aria-hidden', 'true');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'gantt-svg');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', label);
  const spacer = h('div', { class: 'gantt-spacer' });
  const scroller = h(
    'div',
    { class: 'gantt-scroll', tabindex: '0', role: 'region', 'aria-label': `${label} (scroll)` },
    spacer,
  );
  scroller.append(svg);
  const legend = h(
    'ul',
    { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch wait-swatch', 'aria-hidden': 'true' }), 'waiting for a slot'),
    h(
      'li',
      {},
      h('span', { class: 'swatch s-success', 'aria-hidden': 'true' }),
      'running (coloured by outcome)',
    ),
    h('li', {}, h('span', { class: 'swatch critical-swatch', 'aria-hidden': 'true' }), 'critical path'),
    h('li', {}, h('span', { class: 'retry-mark', 'aria-hidden': 'true' }, '#2'), 'attempt number of a retry'),
  );
  const element = h('div', { class: 'gantt' }, legend, axis, scroller);

  const width = () => Math.max(360, scroller.clientWidth || 800);
  const x = (t) => LABEL_W + ((t - t0) / Math.max(1, t1 - t0)) * (width() - LABEL_W - MARGIN * 2);

  const drawAxis = () => {
    const w = width();
    axis.setAttribute('width', String(w));
    axis.setAttribute('height', '20');
    const span = t1 - t0;
    const step = niceStep(span, w - LABEL_W);
    let marks = '';
    for (let t = 0; t <= span; t += step) {
      const px = x(t0 + t);
      if (px > w - 36) break; // no label cut by the edge
      marks += `<line x1="${px}" x2="${px}" y1="14" y2="20"/><text x="${px + 2}" y="11">${esc(fmtDuration(t))}</text>`;
    }
    axis.innerHTML = marks;
  };

  // Scrolls a row into view; done at render time, once the page layout has settled.
  let reveal;
  const revealNow = () => {
    const i = rows.findIndex((t) => t.id === reveal);
    reveal = undefined;
    if (
      i >= 0 &&
      (i * ROW_H < scroller.scrollTop || (i + 1) * ROW_H > scroller.scrollTop + scroller.clientHeight)
    ) {
      scroller.scrollTop = i * ROW_H - scroller.clientHeight / 2;
    }
  };

  let frame = 0;
  const render = () => {
    frame = 0;
    if (reveal !== undefined) revealNow();
    const now = Date.now();
    if (running) t1 = Math.max(t1, now);
    const w = width();
    const top = scroller.scrollTop;
    const vh = scroller.clientHeight || 300;
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(vh));
    svg.setAttribute('viewBox', `0 ${top} ${w} ${vh}`);
    svg.style.transform = `translateY(${top}px)`;
    const first = Math.max(0, Math.floor(top / ROW_H) - 2);
    const last = Math.min(rows.length - 1, Math.ceil((top + vh) / ROW_H) + 2);
    let out = '';
    for (let i = first; i <= last; i++) {
      const t = rows[i];
      const y = i * ROW_H;
      const cls = `row${critical.has(t.id) ? ' critical' : ''}${selected === t.id ? ' selected' : ''}`;
      const name = t.id.length > 22 ? `${t.id.slice(0, 21)}…` : t.id;
      let bars = '';
      let previousEnd;
      for (const a of t.attemptList) {
        // A retry waits from the end of the attempt before it (its backoff, then a free slot).
        const ready = previousEnd ?? ms(a.readyAt);
        const start = ms(a.startedAt);
        const end = ms(a.completedAt) ?? (a.status === 'running' ? now : start);
        if (ready !== undefined && start !== undefined && start > ready) {
          bars += `<rect class="wait" x="${x(ready)}" y="${y + 5}" width="${Math.max(1, x(start) - x(ready))}" height="${ROW_H - 10}"><title>${esc(t.id)} waited ${esc(fmtDuration(start - ready))} ${previousEnd === undefined ? 'for a slot' : 'before retrying'}</title></rect>`;
        }
        previousEnd = ms(a.completedAt);
        if (start === undefined) continue;
        const bw = Math.max(2, x(end) - x(start));
        bars += `<rect class="run s-${esc(a.status)}" x="${x(start)}" y="${y + 3}" width="${bw}" height="${ROW_H - 6}" rx="2"><title>${esc(t.id)} attempt ${a.attempt}: ${esc(a.status)}, ${esc(fmtDuration(end - start))}</title></rect>`;
        if (a.attempt > 1)
          bars += `<text class="retry" x="${x(start) + 3}" y="${y + 15}">#${a.attempt}</text>`;
      }
      out += `<g class="${cls}" data-id="${esc(t.id)}"><rect class="row-bg" x="0" y="${y}" width="${w}" height="${ROW_H}"/><text class="label" x="6" y="${y + 15}" tabindex="0" role="button" data-id="${esc(t.id)}">${esc(name)}</text>${bars}</g>`;
    }
    svg.innerHTML = out;
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  scroller.addEventListener('scroll', schedule, { passive: true });
  const resize = new ResizeObserver(() => {
    drawAxis();
    schedule();
  });
  resize.observe(scroller);
  const pick = (target) => {
    const g = target.closest?.('[data-id]');
    if (g) onSelect?.(g.dataset.id);
  };
  svg.addEventListener('click', (e) => pick(e.target));
  svg.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pick(e.target);
    }
  });

  return {
    element,
    /** Sets the tasks (with `attemptList`), the execution and the critical path, and redraws. */
    setData(tasks, execution, path) {
      critical = new Set(path);
      running = execution.status === 'running';
      t0 = ms(execution.startedAt);
      let end = ms(execution.completedAt) ?? t0 + 1;
      const first = new Map();
      for (const t of tasks) {
        for (const a of t.attemptList) {
          const s = ms(a.readyAt) ?? ms(a.startedAt);
          if (s !== undefined && (!first.has(t.id) || s < first.get(t.id))) first.set(t.id, s);
          end = Math.max(end, ms(a.completedAt) ?? ms(a.startedAt) ?? 0);
        }
      }
      t1 = running ? Math.max(end, Date.now()) : end;
      rows = tasks
        .map((t, i) => ({ t, i, s: first.get(t.id) ?? Number.POSITIVE_INFINITY }))
        .sort((a, b) => a.s - b.s || a.i - b.i)
        .map((r) => r.t);
      spacer.style.height = `${rows.length * ROW_H}px`;
      if (!sized) {
        sized = true;
        scroller.style.height = `${Math.min(320, Math.max(60, rows.length * ROW_H + 4))}px`;
      }
      drawAxis();
      schedule();
    },
    select(id) {
      selected = id;
      reveal = id;
      schedule();
    },
    /** Redraws running bars up to now. */
    tick() {
      if (!running) return;
      drawAxis();
      schedule();
    },
    destroy() {
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
