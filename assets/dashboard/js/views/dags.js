// The DAG files of the served directory, and one DAG file: its graph before any run, its problems
// (line, column, message), and a form to run it with parameters.

import { api } from '../api.js';
import { createGraph } from '../components/graph.js';
import { h, hashOf, showError } from '../format.js';

export async function renderDagList({ root, signal }) {
  root.append(h('h1', {}, 'DAG files'));
  const { dags } = await api('api/dags', { signal });
  if (dags.length === 0) {
    root.append(
      h(
        'p',
        { class: 'muted' },
        'No DAG files (.jorm, or .yaml/.json/.txt holding tasks) in the served directory.',
      ),
    );
    return;
  }
  root.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, 'DAG files in the served directory'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['File', 'DAG', 'Tasks', 'Validation'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          dags.map((d) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('a', { href: hashOf(['dags', 'file'], { path: d.path }), class: 'mono' }, d.path),
              ),
              h(
                'td',
                {},
                d.dagId ? h('a', { href: hashOf(['executions'], { dag: d.dagId }) }, d.dagId) : '—',
              ),
              h('td', { class: 'num' }, d.taskCount),
              h(
                'td',
                {},
                d.valid
                  ? h('span', { class: 'badge s-success' }, '✓ valid')
                  : h(
                      'span',
                      { class: 'badge s-failed' },
                      `✗ ${d.errorCount} problem${d.errorCount === 1 ? '' : 's'}`,
                    ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function renderDagFile({ root, path, signal }) {
  root.append(h('h1', {}, h('span', { class: 'mono' }, path || '(no file)')));
  const dag = await api(`api/dags/file?${new URLSearchParams({ path })}`, { signal });
  root.append(
    h(
      'p',
      { class: 'exec-meta' },
      h('span', {}, 'DAG ', h('strong', {}, dag.dagId ?? '—')),
      h('span', {}, `${dag.taskCount} tasks`),
      dag.dagId ? h('a', { href: hashOf(['executions'], { dag: dag.dagId }) }, 'past executions') : null,
    ),
  );
  if (dag.description) root.append(h('p', {}, dag.description));

  if (dag.diagnostics.length > 0) {
    root.append(
      h(
        'section',
        { class: 'panel problems', 'aria-labelledby': 'problems-title', role: 'alert' },
        h(
          'h2',
          { id: 'problems-title' },
          `${dag.diagnostics.length} problem${dag.diagnostics.length === 1 ? '' : 's'}`,
        ),
        h(
          'ol',
          { class: 'diagnostics' },
          dag.diagnostics.map((d) =>
            h(
              'li',
              {},
              h('span', { class: 'mono where' }, d.line ? `${dag.path}:${d.line}:${d.column}` : dag.path),
              ' ',
              h('span', {}, d.message),
              d.hint ? h('span', { class: 'muted' }, ` (${d.hint})`) : null,
            ),
          ),
        ),
      ),
    );
  }

  root.append(runForm(dag, signal));

  if (dag.tasks.length > 0) {
    const byId = new Map(dag.tasks.map((t) => [t.id, t]));
    const details = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Select a task to see what it runs.');
    const graph = createGraph({
      layout: dag.graph,
      statusOf: () => 'idle',
      legend: false,
      label: `Task graph of ${dag.dagId}`,
      onSelect: (id) => {
        const t = byId.get(id);
        graph.select(id);
        details.replaceChildren(h('strong', {}, t.id), ` (${t.type}) `, h('code', {}, t.summary || '—'));
      },
    });
    signal.addEventListener('abort', () => graph.destroy());
    root.append(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'dag-graph-title' },
        h('h2', { id: 'dag-graph-title' }, 'Graph'),
        graph.element,
        details,
      ),
    );
    root.append(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'dag-tasks-title' },
        h('h2', { id: 'dag-tasks-title' }, 'Tasks'),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Task', 'Type', 'Depends on', 'Runs'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              dag.tasks
                .slice(0, 1000)
                .map((t) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'mono' }, t.id),
                    h('td', {}, t.type),
                    h('td', {}, t.dependsOn.join(', ')),
                    h('td', {}, h('code', {}, t.summary)),
                  ),
                ),
            ),
          ),
        ),
        dag.tasks.length > 1000
          ? h('p', { class: 'muted' }, `First 1000 of ${dag.tasks.length} tasks.`)
          : null,
      ),
    );
  }
}

function runForm(dag, signal) {
  const rows = h('div', { class: 'params' });
  let n = 0;
  const addRow = (name = '', value = '', declared = false) => {
    const i = n++;
    rows.append(
      h(
        'div',
        { class: 'param-row' },
        h('label', { for: `pn-${i}`, class: 'visually-hidden' }, 'Parameter name'),
        h('input', {
          id: `pn-${i}`,
          class: 'param-name',
          value: name,
          placeholder: 'NAME',
          readonly: declared,
          autocomplete: 'off',
        }),
        h('label', { for: `pv-${i}` }, declared ? name : 'value'),
        h('input', { id: `pv-${i}`, class: 'param-value', value, autocomplete: 'off' }),
      ),
    );
  };
  for (const [k, v] of Object.entries(dag.params ?? {})) addRow(k, v, true);
  const message = h('p', { class: 'action-message', role: 'status', 'aria-live': 'polite' });
  const runButton = h(
    'button',
    { type: 'submit', class: 'primary', id: 'run-button', disabled: !dag.valid },
    '▶ Run',
  );
  const form = h(
    'form',
    { class: 'panel run-form', 'aria-labelledby': 'run-title' },
    h('h2', { id: 'run-title' }, 'Run'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Parameters'),
      rows,
      h('button', { type: 'button', class: 'small', onclick: () => addRow() }, '+ parameter'),
    ),
    h('div', { class: 'actions' }, runButton, message),
  );
  if (!dag.valid) message.textContent = 'Fix the problems above to run this DAG.';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const params = {};
    for (const row of rows.querySelectorAll('.param-row')) {
      const k = row.querySelector('.param-name').value.trim();
      if (k) params[k] = row.querySelector('.param-value').value;
    }
    runButton.disabled = true;
    message.textContent = 'Starting…';
    try {
      const run = await api('api/runs', { method: 'POST', body: { dag: dag.path, params }, signal });
      window.location.hash = hashOf(['executions', run.executionId]);
    } catch (error) {
      message.textContent = '';
      showError(form, error);
      runButton.disabled = false;
    }
  });
  return form;
}
