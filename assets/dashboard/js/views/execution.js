// One execution: header with actions, the DAG graph, the Gantt timeline, the task table and the
// selected task's details and output. Everything follows the execution's event stream.

import { api, follow } from '../api.js';
import { createGantt } from '../components/gantt.js';
import { createGraph } from '../components/graph.js';
import { createTaskDetails } from '../components/task-details.js';
import { createTaskTable } from '../components/task-table.js';
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

/** A task's status for display: a pending task whose dependencies are done is "waiting" (for a slot). */
export const displayStatus = (t) => (t.status === 'pending' && t.readyAt ? 'waiting' : t.status);

export function renderExecution({ root, id, query, signal }) {
  const tasks = new Map();
  let info;
  let actions = { cancel: false, resume: false, cancelRequested: false };
  let graph;
  let gantt;
  let table;
  let details;
  let selected = query.get('task') ?? undefined;
  let criticalPath = [];

  const title = h('h1', {}, 'Execution ', h('span', { class: 'mono' }, id));
  const meta = h('div', { class: 'exec-meta' });
  const message = h('p', { class: 'action-message', role: 'status', 'aria-live': 'polite' });
  const cancelButton = h('button', { type: 'button', class: 'danger', id: 'cancel-button' }, 'Cancel');
  const resumeButton = h('button', { type: 'button', id: 'resume-button' }, 'Resume');
  const toolbar = h('div', { class: 'actions' }, cancelButton, resumeButton, message);
  const graphSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'graph-title' },
    h('h2', { id: 'graph-title' }, 'Graph'),
  );
  const ganttSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'gantt-title' },
    h('h2', { id: 'gantt-title' }, 'Timeline'),
  );
  const tableSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'tasks-title' },
    h('h2', { id: 'tasks-title' }, 'Tasks'),
  );
  const side = h('div', { class: 'side' });
  const layout = h(
    'div',
    { class: 'exec-layout' },
    h('div', { class: 'exec-main' }, graphSection, ganttSection, tableSection),
    side,
  );
  root.append(title, meta, toolbar, layout);

  const statusOf = (x) => displayStatus(typeof x === 'string' ? (tasks.get(x) ?? { status: 'pending' }) : x);
  const select = (taskId, { focus = false } = {}) => {
    const target = hashOf(['executions', id], { task: taskId });
    if (window.location.hash !== target) {
      window.location.hash = target; // the router calls update(), which shows it
      return;
    }
    show(taskId, focus);
  };
  const show = (taskId, focus) => {
    selected = taskId;
    graph?.select(taskId);
    gantt?.select(taskId);
    table?.select(taskId);
    if (details?.taskId === taskId) return;
    details?.destroy();
    details = undefined;
    side.replaceChildren();
    const t = taskId ? tasks.get(taskId) : undefined;
    if (!t) return;
    details = createTaskDetails({
      executionId: id,
      task: t,
      statusOf,
      signal,
      onClose: () => {
        window.location.hash = hashOf(['executions', id]);
      },
    });
    side.append(details.element);
    if (focus) details.focus();
  };

  const paintHeader = () => {
    const live = info.status === 'running' && !info.interrupted;
    // An interrupted run ended, as far as anyone knows, at its last heartbeat.
    const duration =
      info.duration ??
      between(info.startedAt, info.completedAt ?? (info.interrupted ? info.heartbeatAt : undefined));
    const dag = info.dagPath
      ? h('a', { href: hashOf(['dags', 'file'], { path: info.dagPath }) }, info.dagId)
      : h('span', {}, info.dagId);
    const parts = [
      h('span', { html: badge(executionStatus(info)), id: 'exec-status' }),
      h('span', {}, 'DAG ', dag),
      h('span', {}, 'started ', h('time', { datetime: info.startedAt }, fmtTime(info.startedAt))),
      h(
        'span',
        { id: 'exec-duration' },
        live
          ? `running for ${fmtDuration(duration)}`
          : info.interrupted
            ? `stopped after ${fmtDuration(duration)}: its jorm process is gone (resume it)`
            : `took ${fmtDuration(duration)}`,
      ),
      h(
        'span',
        { class: 'counts' },
        countsBar(info.taskCounts, info.totalTasks),
        ` ${info.taskCounts.success ?? 0}/${info.totalTasks} succeeded`,
      ),
      info.params && Object.keys(info.params).length
        ? h(
            'span',
            { class: 'muted' },
            `params: ${Object.entries(info.params)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`,
          )
        : null,
    ];
    meta.replaceChildren(...parts.filter(Boolean));
    cancelButton.hidden = !actions.cancel;
    cancelButton.disabled = actions.cancelRequested;
    cancelButton.textContent = actions.cancelRequested ? 'Cancelling…' : 'Cancel';
    resumeButton.hidden = !actions.resume;
  };

  let tableTimer;
  const apply = (data, changed) => {
    for (const t of changed) tasks.set(t.id, t);
    info = data.execution;
    actions = data.actions ?? actions;
    criticalPath = data.criticalPath ?? criticalPath;
    paintHeader();
    graph.refresh(changed.map((t) => t.id));
    graph.setCritical(criticalPath);
    gantt.setData([...tasks.values()], info, criticalPath);
    // Small tables follow at once; big ones at most twice a second.
    if (tasks.size <= 500) table.setTasks([...tasks.values()]);
    else if (!tableTimer) {
      tableTimer = setTimeout(() => {
        tableTimer = undefined;
        table.setTasks([...tasks.values()]);
      }, 500);
    }
    if (details) {
      const t = tasks.get(details.taskId);
      if (t) details.update(t);
    }
  };

  const start = (data) => {
    tasks.clear();
    for (const t of data.tasks) tasks.set(t.id, t);
    info = data.execution;
    actions = data.actions ?? actions;
    criticalPath = data.criticalPath;
    graph?.destroy();
    graph = createGraph({
      layout: data.graph,
      statusOf,
      onSelect: (t) => select(t, { focus: false }),
      label: `Task graph of ${info.dagId}`,
    });
    graphSection.replaceChildren(graphSection.firstChild, graph.element);
    gantt?.destroy();
    gantt = createGantt({ label: 'Timeline of task attempts', onSelect: (t) => select(t) });
    ganttSection.replaceChildren(ganttSection.firstChild, gantt.element);
    table = createTaskTable({ onSelect: (t) => select(t, { focus: true }), statusOf });
    tableSection.replaceChildren(tableSection.firstChild, table.element);
    paintHeader();
    graph.setCritical(criticalPath);
    gantt.setData([...tasks.values()], info, criticalPath);
    table.setTasks([...tasks.values()]);
    if (selected) show(selected, false);
  };

  const act = async (button, path, done) => {
    button.disabled = true;
    message.textContent = '';
    try {
      const result = await api(`api/executions/${encodeURIComponent(id)}/${path}`, {
        method: 'POST',
        body: {},
        signal,
      });
      message.textContent = done(result);
    } catch (error) {
      message.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  };
  cancelButton.addEventListener('click', () => {
    if (!window.confirm(`Cancel execution ${id}?`)) return;
    act(cancelButton, 'cancel', () => 'Cancellation requested.');
  });
  resumeButton.addEventListener('click', () =>
    act(resumeButton, 'resume', (r) => `Resumed (process ${r.pid}).`),
  );

  const ticker = setInterval(() => {
    if (info?.status !== 'running' || info.interrupted) return;
    const el = document.getElementById('exec-duration');
    if (el) el.textContent = `running for ${fmtDuration(between(info.startedAt))}`;
    gantt?.tick();
    table?.tick();
  }, 1000);
  signal.addEventListener('abort', () => {
    clearInterval(ticker);
    clearTimeout(tableTimer);
    graph?.destroy();
    gantt?.destroy();
    details?.destroy();
  });

  let started = false;
  follow(`api/executions/${encodeURIComponent(id)}/events`, {
    signal,
    onState: setLive,
    onError: (error) => showError(root, error),
    onEvent: (name, data) => {
      if (name === 'snapshot' && !started) {
        started = true;
        start(data);
      } else if ((name === 'update' || name === 'snapshot') && started) {
        apply(data, data.tasks);
      }
    },
  });

  return {
    update(q) {
      const t = q.get('task') ?? undefined;
      show(t, true);
    },
  };
}
