// The details of one task: status, dependencies, every attempt, and its output.

import { badge, between, fmtDuration, fmtTime, h, hashOf } from '../format.js';
import { createLogViewer } from './log-viewer.js';

/** How long an attempt waited: for a slot (the first), or since the attempt before it (a retry). */
function waited(a, previous) {
  const from = previous ? previous.completedAt : a.readyAt;
  return from && a.startedAt ? between(from, a.startedAt) : undefined;
}

export function createTaskDetails({ executionId, task, statusOf, signal, onClose }) {
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort());
  const body = h('div', { class: 'details-body' });
  const heading = h('h2', { id: 'details-title', tabindex: '-1' }, task.id);
  const element = h(
    'aside',
    { class: 'details', 'aria-labelledby': 'details-title' },
    h(
      'div',
      { class: 'details-head' },
      heading,
      h(
        'button',
        { type: 'button', class: 'small', onclick: onClose, 'aria-label': 'Close task details' },
        '✕',
      ),
    ),
    body,
  );
  const link = (id) => h('a', { href: hashOf(['executions', executionId], { task: id }) }, id);
  const paint = (t) => {
    const deps = t.dependsOn.length
      ? t.dependsOn.flatMap((d, i) => (i ? [', ', link(d)] : [link(d)]))
      : ['none'];
    body.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', { html: badge(statusOf(t)) }),
        h('dt', {}, 'Type'),
        h('dd', {}, t.type ?? '—'),
        h('dt', {}, 'Depends on'),
        h('dd', {}, ...deps),
        h('dt', {}, 'Attempts'),
        h('dd', {}, String(t.attempts)),
        t.errorMessage ? h('dt', {}, 'Error') : null,
        t.errorMessage ? h('dd', { class: 'error-text' }, t.errorMessage) : null,
      ),
      h(
        'table',
        { class: 'data compact' },
        h('caption', {}, 'Attempts'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['#', 'Status', 'Started', 'Waited', 'Ran', 'Exit'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          t.attemptList.map((a, i) =>
            h(
              'tr',
              {},
              h('td', {}, a.attempt),
              h('td', { html: badge(a.status) }),
              h('td', {}, fmtTime(a.startedAt)),
              h('td', { class: 'num' }, fmtDuration(waited(a, t.attemptList[i - 1]))),
              h(
                'td',
                { class: 'num' },
                fmtDuration(a.duration ?? (a.startedAt && !a.completedAt ? between(a.startedAt) : undefined)),
              ),
              h('td', { class: 'num' }, a.exitCode ?? ''),
            ),
          ),
        ),
      ),
    );
  };
  paint(task);
  let viewer = createLogViewer({ executionId, task, signal: controller.signal });
  element.append(viewer.element);
  let last = JSON.stringify(task);
  return {
    element,
    taskId: task.id,
    focus: () => heading.focus(),
    update(t) {
      const text = JSON.stringify(t);
      if (text === last) return;
      last = text;
      paint(t);
      viewer.update(t);
    },
    destroy() {
      controller.abort();
      viewer = undefined;
    },
  };
}
