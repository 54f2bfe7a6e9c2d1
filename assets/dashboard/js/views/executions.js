// The executions list: newest first, filtered by DAG and status, paginated, updated live.

import { api, follow } from '../api.js';
import {
  badge,
  between,
  countsBar,
  executionStatus,
  fmtDuration,
  fmtTime,
  h,
  hashOf,
  showError,
} from '../format.js';
import { setLive } from '../live.js';

const PAGE_SIZE = 50;
const STATUSES = ['running', 'success', 'failed', 'cancelled'];

export function renderExecutions({ root, query, signal }) {
  const dag = query.get('dag') ?? '';
  const status = query.get('status') ?? '';
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);

  const dagInput = h('input', {
    id: 'f-dag',
    name: 'dag',
    value: dag,
    placeholder: 'any DAG',
    autocomplete: 'off',
  });
  const statusSelect = h(
    'select',
    { id: 'f-status', name: 'status' },
    h('option', { value: '' }, 'any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)),
  );
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter executions',
      onsubmit: (e) => {
        e.preventDefault();
        window.location.hash = hashOf(['executions'], {
          dag: dagInput.value.trim(),
          status: statusSelect.value,
        });
      },
    },
    h('label', { for: 'f-dag' }, 'DAG'),
    dagInput,
    h('label', { for: 'f-status' }, 'Status'),
    statusSelect,
    h('button', { type: 'submit' }, 'Filter'),
    dag || status ? h('a', { href: '#/executions', class: 'button-link' }, 'Clear') : null,
  );
  statusSelect.addEventListener('change', () => form.requestSubmit());

  const summary = h('p', { class: 'muted', id: 'exec-summary', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data executions', 'aria-describedby': 'exec-summary' },
    h('caption', { class: 'visually-hidden' }, 'Executions, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Execution', 'DAG', 'Status', 'Started', 'Duration', 'Tasks'].map((t) =>
          h('th', { scope: 'col', class: t === 'Duration' ? 'num' : null }, t),
        ),
      ),
    ),
    tbody,
  );
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  root.append(h('h1', {}, 'Executions'), form, summary, h('div', { class: 'table-wrap' }, table), pager);

  let rows = [];
  const paint = (data) => {
    const { executions, total } = data;
    rows = executions;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
    summary.textContent =
      total === 0
        ? 'No executions yet. Start one from the DAG files page or with `jorm run`.'
        : `${first}–${first + executions.length - 1} of ${total} execution${total === 1 ? '' : 's'}`;
    tbody.replaceChildren(
      ...executions.map((e) =>
        h(
          'tr',
          { 'data-id': e.executionId, class: `row-${e.status}` },
          h('td', {}, h('a', { href: hashOf(['executions', e.executionId]), class: 'mono' }, e.executionId)),
          h('td', {}, h('a', { href: hashOf(['executions'], { dag: e.dagId }) }, e.dagId)),
          h('td', { html: badge(executionStatus(e)) }),
          h('td', {}, h('time', { datetime: e.startedAt }, fmtTime(e.startedAt))),
          h(
            'td',
            { class: 'num duration' },
            // An interrupted run ended, as far as anyone knows, at its last heartbeat.
            fmtDuration(
              e.duration ??
                between(e.startedAt, e.completedAt ?? (e.interrupted ? e.heartbeatAt : undefined)),
            ),
          ),
          h(
            'td',
            { class: 'tasks' },
            countsBar(e.taskCounts, e.totalTasks),
            h('span', { class: 'num' }, ` ${e.taskCounts.success ?? 0}/${e.totalTasks}`),
          ),
        ),
      ),
    );
    const link = (p, label, rel) =>
      p < 1 || p > pages || p === page
        ? h('span', { class: 'disabled', 'aria-disabled': 'true' }, label)
        : h('a', { href: hashOf(['executions'], { dag, status, page: p > 1 ? p : '' }), rel }, label);
    const jump = h('input', {
      type: 'number',
      min: 1,
      max: pages,
      value: page,
      id: 'page-jump',
      class: 'narrow',
    });
    pager.replaceChildren(
      link(1, '« Newest'),
      link(page - 1, '‹ Newer', 'prev'),
      h(
        'form',
        {
          class: 'jump',
          onsubmit: (e) => {
            e.preventDefault();
            const p = Math.min(pages, Math.max(1, Number(jump.value) || 1));
            window.location.hash = hashOf(['executions'], { dag, status, page: p > 1 ? p : '' });
          },
        },
        h('label', { for: 'page-jump' }, 'Page'),
        jump,
        h('span', {}, ` of ${pages}`),
      ),
      link(page + 1, 'Older ›', 'next'),
      link(pages, 'Oldest »'),
    );
  };

  const load = async () => {
    const qs = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String((page - 1) * PAGE_SIZE) });
    if (dag) qs.set('dag', dag);
    if (status) qs.set('status', status);
    paint(await api(`api/executions?${qs}`, { signal }));
  };

  // Running durations tick every second; the page re-reads when the database changes.
  const ticker = setInterval(() => {
    for (const [i, e] of rows.entries()) {
      if (e.status !== 'running' || e.interrupted) continue;
      const cell = tbody.children[i]?.querySelector('.duration');
      if (cell) cell.textContent = fmtDuration(between(e.startedAt));
    }
  }, 1000);
  signal.addEventListener('abort', () => clearInterval(ticker));
  let pending;
  follow('api/events', {
    signal,
    onState: setLive,
    onEvent: (name) => {
      if (name !== 'change' || pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        load().catch(() => {});
      }, 250);
    },
  });
  return load().catch((error) => showError(root, error));
}
