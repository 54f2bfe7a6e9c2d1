// The task table of an execution: sortable columns, a status filter and a search box, 100 rows a page.

import { badge, between, fmtDuration, h } from '../format.js';

const PAGE = 100;
const COLUMNS = [
  { key: 'id', label: 'Task' },
  { key: 'type', label: 'Type' },
  { key: 'status', label: 'Status' },
  { key: 'attempts', label: 'Attempts', num: true },
  { key: 'wait', label: 'Waited', num: true },
  { key: 'duration', label: 'Duration', num: true },
  { key: 'exitCode', label: 'Exit', num: true },
  { key: 'errorMessage', label: 'Error' },
];

const waitOf = (t) => {
  const a = t.attemptList[0];
  return a?.readyAt && a?.startedAt ? between(a.readyAt, a.startedAt) : undefined;
};
const durationOf = (t) =>
  t.duration ?? (t.status === 'running' && t.startedAt ? between(t.startedAt) : undefined);

export function createTaskTable({ onSelect, statusOf }) {
  let tasks = [];
  let sortKey = 'order';
  let ascending = true;
  let page = 0;
  let selected;
  const search = h('input', {
    type: 'search',
    id: 'task-search',
    placeholder: 'task id',
    autocomplete: 'off',
  });
  const statusFilter = h(
    'select',
    { id: 'task-status' },
    h('option', { value: '' }, 'any status'),
    ['waiting', 'running', 'success', 'failed', 'timed_out', 'cancelled', 'skipped', 'pending'].map((s) =>
      h('option', { value: s }, s.replace('_', ' ')),
    ),
  );
  const headRow = h('tr');
  const tbody = h('tbody');
  const status = h('p', { class: 'muted small-text', 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager' });
  const element = h(
    'div',
    { class: 'task-table' },
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'task-search' }, 'Find'),
      search,
      h('label', { for: 'task-status' }, 'Status'),
      statusFilter,
    ),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', {}, headRow), tbody)),
    status,
    pager,
  );

  const value = (t, key) => {
    switch (key) {
      case 'wait':
        return waitOf(t);
      case 'duration':
        return durationOf(t);
      case 'status':
        return statusOf(t);
      default:
        return t[key];
    }
  };
  const renderHead = () => {
    headRow.replaceChildren(
      ...COLUMNS.map((c) =>
        h(
          'th',
          { scope: 'col', 'aria-sort': sortKey === c.key ? (ascending ? 'ascending' : 'descending') : null },
          h(
            'button',
            {
              type: 'button',
              class: 'sort',
              onclick: () => {
                ascending = sortKey === c.key ? !ascending : true;
                sortKey = c.key;
                page = 0;
                render();
              },
            },
            c.label,
          ),
        ),
      ),
    );
  };
  const render = () => {
    renderHead();
    const q = search.value.trim().toLowerCase();
    const s = statusFilter.value;
    const list = tasks
      .map((t, order) => ({ t, order }))
      .filter(({ t }) => (!q || t.id.toLowerCase().includes(q)) && (!s || statusOf(t) === s));
    if (sortKey !== 'order') {
      list.sort((a, b) => {
        const va = value(a.t, sortKey);
        const vb = value(b.t, sortKey);
        if (va === vb) return a.order - b.order;
        if (va === undefined || va === null) return 1;
        if (vb === undefined || vb === null) return -1;
        return (va < vb ? -1 : 1) * (ascending ? 1 : -1);
      });
    }
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    page = Math.min(page, pages - 1);
    const slice = list.slice(page * PAGE, page * PAGE + PAGE);
    // Keep keyboard focus on the same task's button across a redraw.
    const focusedId = tbody.contains(document.activeElement)
      ? document.activeElement.closest('tr')?.dataset.id
      : undefined;
    tbody.replaceChildren(
      ...slice.map(({ t }) =>
        h(
          'tr',
          { class: selected === t.id ? 'selected' : null, 'data-id': t.id },
          h(
            'td',
            {},
            h('button', { type: 'button', class: 'link mono', onclick: () => onSelect(t.id) }, t.id),
          ),
          h('td', {}, t.type ?? ''),
          h('td', { html: badge(statusOf(t)) }),
          h('td', { class: 'num' }, t.attempts),
          h('td', { class: 'num' }, fmtDuration(waitOf(t))),
          h(
            'td',
            { class: 'num', 'data-running-since': t.status === 'running' ? t.startedAt : null },
            fmtDuration(durationOf(t)),
          ),
          h('td', { class: 'num' }, t.exitCode ?? ''),
          h('td', { class: 'error-cell', title: t.errorMessage ?? '' }, t.errorMessage ?? ''),
        ),
      ),
    );
    if (focusedId !== undefined) {
      tbody.querySelector(`tr[data-id="${CSS.escape(focusedId)}"] button`)?.focus({ preventScroll: true });
    }
    status.textContent = `${list.length} of ${tasks.length} tasks`;
    pager.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          disabled: page === 0,
          onclick: () => {
            page--;
            render();
          },
        },
        '‹ Previous',
      ),
      h('span', {}, ` page ${page + 1} of ${pages} `),
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          disabled: page >= pages - 1,
          onclick: () => {
            page++;
            render();
          },
        },
        'Next ›',
      ),
    );
  };
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      page = 0;
      render();
    }, 150);
  });
  statusFilter.addEventListener('change', () => {
    page = 0;
    render();
  });

  return {
    element,
    /** Advances the durations of running tasks. */
    tick() {
      for (const cell of tbody.querySelectorAll('[data-running-since]')) {
        cell.textContent = fmtDuration(between(cell.dataset.runningSince));
      }
    },
    setTasks(list) {
      tasks = list;
      render();
    },
    select(id) {
      selected = id;
      for (const tr of tbody.children) tr.classList.toggle('selected', tr.dataset.id === id);
    },
  };
}
