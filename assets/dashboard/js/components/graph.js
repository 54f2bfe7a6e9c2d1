// The DAG as a layered, left-to-right SVG graph. Only what is in view is drawn (plus a margin), so a
// graph of 5,000 tasks scrolls smoothly; above 500 tasks it starts in a compact mode (small squares,
// no labels) that shows the whole shape. Nodes are coloured by status, with a glyph as well.

import { esc, h, STATUS_GLYPH } from '../format.js';

const SIZES = {
  full: { w: 168, h: 32, colW: 224, rowH: 46, pad: 24 },
  compact: { w: 12, h: 12, colW: 34, rowH: 18, pad: 14 },
};
export const COMPACT_ABOVE = 500;
const MAX_EDGES = 4000;

function lowerBound(list, row) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].row < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * @param {{ layout, statusOf: (id) => string, onSelect?: (id) => void, label: string }} options
 */
export function createGraph({ layout, statusOf, onSelect, label, legend: showLegend = true }) {
  const columns = Array.from({ length: layout.layers }, () => []);
  const byId = new Map();
  for (const n of layout.nodes) {
    columns[n.layer].push(n);
    byId.set(n.id, { ...n, parents: [], children: [] });
  }
  for (const c of columns) c.sort((a, b) => a.row - b.row);
  for (const [from, to] of layout.edges) {
    byId.get(to)?.parents.push(from);
    byId.get(from)?.children.push(to);
  }
  let mode = layout.nodes.length > COMPACT_ABOVE ? 'compact' : 'full';
  let critical = new Map(); // id -> next id on the critical path
  let selected;

  const spacer = h('div', { class: 'graph-spacer' });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'graph-svg');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', label);
  const viewport = h(
    'div',
    { class: 'graph-viewport', tabindex: '0', role: 'region', 'aria-label': `${label} (scroll to pan)` },
    spacer,
  );
  viewport.append(svg);
  const modeButton = h(
    'button',
    { type: 'button', class: 'small', 'aria-pressed': String(mode === 'full') },
    'Labels',
  );
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'Status colours' },
    ['waiting', 'running', 'success', 'failed', 'timed_out', 'cancelled', 'skipped', 'pending'].map((s) =>
      h(
        'li',
        {},
        h('span', { class: `swatch s-${s}`, 'aria-hidden': 'true' }, STATUS_GLYPH[s]),
        s.replace('_', ' '),
      ),
    ),
    h('li', {}, h('span', { class: 'swatch critical-swatch', 'aria-hidden': 'true' }), 'critical path'),
  );
  const info = h(
    'span',
    { class: 'muted small-text' },
    `${layout.nodes.length} tasks, ${layout.edges.length} edges`,
  );
  const element = h(
    'div',
    { class: 'graph' },
    h('div', { class: 'graph-toolbar' }, showLegend ? legend : null, info, modeButton),
    viewport,
  );

  const place = (n) => {
    const m = SIZES[mode];
    return { x: m.pad + n.layer * m.colW, y: m.pad + n.row * m.rowH };
  };
  const size = () => {
    const m = SIZES[mode];
    spacer.style.width = `${m.pad * 2 + Math.max(0, layout.layers - 1) * m.colW + m.w}px`;
    spacer.style.height = `${m.pad * 2 + Math.max(0, layout.rows - 1) * m.rowH + m.h}px`;
  };
  const classOf = (id) => {
    const s = statusOf(id);
    return `node s-${s}${critical.has(id) ? ' critical' : ''}${selected === id ? ' selected' : ''}`;
  };
  const nodeMarkup = (n) => {
    const m = SIZES[mode];
    const { x, y } = place(n);
    const s = statusOf(n.id);
    const text = n.id.length > 20 ? `${n.id.slice(0, 19)}…` : n.id;
    const inner =
      mode === 'full'
        ? `<rect width="${m.w}" height="${m.h}" rx="6"/><text class="glyph" x="10" y="21" aria-hidden="true">${STATUS_GLYPH[s] ?? ''}</text><text x="28" y="21">${esc(text)}</text>`
        : `<rect width="${m.w}" height="${m.h}" rx="3"/>`;
    return `<g class="${classOf(n.id)}" data-id="${esc(n.id)}" transform="translate(${x},${y})" tabindex="0" role="button" aria-label="${esc(n.id)}: ${esc(s)}">${inner}<title>${esc(n.id)}: ${esc(s)}</title></g>`;
  };
  const edgeMarkup = (from, to) => {
    const m = SIZES[mode];
    const a = place(byId.get(from));
    const b = place(byId.get(to));
    const x1 = a.x + m.w;
    const y1 = a.y + m.h / 2;
    const x2 = b.x;
    const y2 = b.y + m.h / 2;
    const dx = Math.max(12, (x2 - x1) / 2);
    const crit = critical.get(from) === to ? ' critical' : '';
    return `<path class="edge${crit}" d="M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}"/>`;
  };

  // Scrolls a node into view; done at render time, once the page layout around the graph has settled.
  let reveal;
  const revealNow = () => {
    const n = byId.get(reveal);
    reveal = undefined;
    if (!n) return;
    const m = SIZES[mode];
    const { x, y } = place(n);
    const outside =
      x < viewport.scrollLeft ||
      x + m.w > viewport.scrollLeft + viewport.clientWidth ||
      y < viewport.scrollTop ||
      y + m.h > viewport.scrollTop + viewport.clientHeight;
    if (outside)
      viewport.scrollTo({ left: x - viewport.clientWidth / 2, top: y - viewport.clientHeight / 2 });
  };

  let frame = 0;
  const render = () => {
    frame = 0;
    if (reveal !== undefined) revealNow();
    const m = SIZES[mode];
    const sx = viewport.scrollLeft;
    const sy = viewport.scrollTop;
    const vw = viewport.clientWidth || 800;
    const vh = viewport.clientHeight || 400;
    svg.setAttribute('width', String(vw));
    svg.setAttribute('height', String(vh));
    svg.setAttribute('viewBox', `${sx} ${sy} ${vw} ${vh}`);
    svg.style.transform = `translate(${sx}px, ${sy}px)`;
    const margin = 2;
    const c0 = Math.max(0, Math.floor((sx - m.pad - m.w) / m.colW) - margin);
    const c1 = Math.min(layout.layers - 1, Math.ceil((sx + vw - m.pad) / m.colW) + margin);
    const r0 = Math.floor((sy - m.pad - m.h) / m.rowH) - margin;
    const r1 = Math.ceil((sy + vh - m.pad) / m.rowH) + margin;
    const visible = [];
    for (let c = c0; c <= c1; c++) {
      const col = columns[c];
      for (let i = lowerBound(col, r0); i < col.length && col[i].row <= r1; i++) visible.push(col[i]);
    }
    const edges = [];
    const seen = new Set();
    for (const n of visible) {
      const node = byId.get(n.id);
      for (const p of node.parents)
        if (!seen.has(`${p}\n${n.id}`)) seen.add(`${p}\n${n.id}`) && edges.push([p, n.id]);
      for (const c of node.children)
        if (!seen.has(`${n.id}\n${c}`)) seen.add(`${n.id}\n${c}`) && edges.push([n.id, c]);
      if (edges.length > MAX_EDGES) break;
    }
    const focusedId = svg.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
    svg.innerHTML = `<g class="edges">${edges.map(([a, b]) => edgeMarkup(a, b)).join('')}</g><g class="nodes">${visible.map(nodeMarkup).join('')}</g>`;
    if (focusedId) svg.querySelector(`[data-id="${CSS.escape(focusedId)}"]`)?.focus({ preventScroll: true });
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  viewport.addEventListener('scroll', schedule, { passive: true });
  const resize = new ResizeObserver(schedule);
  resize.observe(viewport);
  modeButton.addEventListener('click', () => {
    mode = mode === 'full' ? 'compact' : 'full';
    modeButton.setAttribute('aria-pressed', String(mode === 'full'));
    size();
    render();
  });
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
  size();
  {
    // Small graphs get a viewport that fits them; large ones a fixed one (resizable by the user).
    const m = SIZES[mode];
    const height = m.pad * 2 + Math.max(0, layout.rows - 1) * m.rowH + m.h + 20;
    viewport.style.height = `${Math.min(420, Math.max(120, height))}px`;
  }
  schedule();

  return {
    element,
    /** Re-colours the given tasks (or all drawn ones). */
    refresh(ids) {
      const list = ids ?? [...svg.querySelectorAll('[data-id]')].map((g) => g.dataset.id);
      for (const id of list) {
        const g = svg.querySelector(`[data-id="${CSS.escape(id)}"]`);
        if (!g) continue;
        const s = statusOf(id);
        g.setAttribute('class', classOf(id));
        g.setAttribute('aria-label', `${id}: ${s}`);
        const glyph = g.querySelector('.glyph');
        if (glyph) glyph.textContent = STATUS_GLYPH[s] ?? '';
        const title = g.querySelector('title');
        if (title) title.textContent = `${id}: ${s}`;
      }
    },
    /** Marks the critical path (ids first to last). */
    setCritical(path) {
      const next = new Map();
      for (let i = 0; i < path.length; i++) next.set(path[i], path[i + 1]);
      const same = next.size === critical.size && [...next].every(([k, v]) => critical.get(k) === v);
      if (same) return;
      critical = next;
      schedule();
    },
    /** Highlights a task and scrolls it into view. */
    select(id) {
      selected = id;
      reveal = id;
      schedule();
    },
    destroy() {
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
