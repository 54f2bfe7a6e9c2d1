// A task attempt's stdout/stderr, read in slices by byte offset; "follow" keeps reading while the
// attempt runs and keeps the view scrolled to the end.

import { api } from '../api.js';
import { h } from '../format.js';

const MAX_CHARS = 2_000_000;
const FOLLOW_EVERY = 1000;

export function createLogViewer({ executionId, task, signal }) {
  const attempts = task.attemptList.map((a) => a.attempt);
  let attempt = attempts[attempts.length - 1] ?? 1;
  let stream = 'stdout';
  let offset = 0;
  let following = task.status === 'running';
  let timer;
  let generation = 0;

  const attemptSelect = h(
    'select',
    { id: 'log-attempt' },
    (attempts.length ? attempts : [1]).map((n) =>
      h('option', { value: n, selected: n === attempt }, `#${n}`),
    ),
  );
  const streamGroup = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-label': 'Stream' },
    ['stdout', 'stderr'].map((s) =>
      h('label', {}, h('input', { type: 'radio', name: 'log-stream', value: s, checked: s === stream }), s),
    ),
  );
  const followBox = h('input', { type: 'checkbox', id: 'log-follow', checked: following });
  const note = h('span', { class: 'muted small-text', 'aria-live': 'polite' });
  const pre = h('pre', { class: 'log', tabindex: '0', 'aria-label': 'Task output' });
  const element = h(
    'section',
    { class: 'log-viewer', 'aria-label': 'Output' },
    h(
      'div',
      { class: 'log-toolbar' },
      h('label', { for: 'log-attempt' }, 'Attempt'),
      attemptSelect,
      streamGroup,
      h('label', { class: 'inline' }, followBox, ' Follow'),
      note,
    ),
    pre,
  );

  // One read at a time: a read asked for while another runs is done right after it.
  let reading = false;
  let again = false;
  const readOnce = async () => {
    const mine = generation;
    let more = true;
    let complete = false;
    while (more && mine === generation) {
      const qs = new URLSearchParams({ attempt: String(attempt), stream, offset: String(offset) });
      const chunk = await api(
        `api/executions/${encodeURIComponent(executionId)}/tasks/${encodeURIComponent(task.id)}/logs?${qs}`,
        { signal },
      );
      if (mine !== generation) return false;
      if (chunk.text) {
        const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
        pre.append(chunk.text);
        if (pre.textContent.length > MAX_CHARS)
          pre.textContent = `[…earlier output not shown…]\n${pre.textContent.slice(-MAX_CHARS)}`;
        if (following || atEnd) pre.scrollTop = pre.scrollHeight;
      }
      more = chunk.nextOffset < chunk.size && chunk.nextOffset > offset;
      offset = chunk.nextOffset;
      complete = chunk.complete;
    }
    if (pre.textContent === '')
      note.textContent = complete ? `no ${stream} output` : `waiting for ${stream}…`;
    else note.textContent = complete ? '' : following ? 'following…' : 'running';
    return complete;
  };
  const read = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    clearTimeout(timer);
    let complete = false;
    try {
      do {
        again = false;
        complete = await readOnce();
      } while (again && !signal.aborted);
    } catch (error) {
      if (!signal.aborted) note.textContent = error.message;
    } finally {
      reading = false;
    }
    if (following && !complete && !signal.aborted) timer = setTimeout(read, FOLLOW_EVERY);
  };
  const restart = () => {
    generation++;
    offset = 0;
    pre.textContent = '';
    note.textContent = 'loading…';
    read();
  };
  attemptSelect.addEventListener('change', () => {
    attempt = Number(attemptSelect.value);
    restart();
  });
  streamGroup.addEventListener('change', (e) => {
    stream = e.target.value;
    restart();
  });
  followBox.addEventListener('change', () => {
    following = followBox.checked;
    if (following) {
      pre.scrollTop = pre.scrollHeight;
      read();
    } else clearTimeout(timer);
  });
  signal.addEventListener('abort', () => clearTimeout(timer));
  restart();
  return {
    element,
    /** Called when the task changed: a new attempt appears in the list; follow picks it up. */
    update(next) {
      const known = new Set([...attemptSelect.options].map((o) => Number(o.value)));
      for (const a of next.attemptList) {
        if (!known.has(a.attempt)) attemptSelect.append(h('option', { value: a.attempt }, `#${a.attempt}`));
      }
      const latest = next.attemptList[next.attemptList.length - 1]?.attempt;
      if (following && latest !== undefined && latest !== attempt) {
        attempt = latest;
        attemptSelect.value = String(latest);
        restart();
      } else if (following) read();
    },
  };
}
