// The dashboard's HTTP client: JSON calls and Server-Sent Events over fetch, with the bearer token
// (kept in sessionStorage) sent as an Authorization header. On a 401 the login dialog asks for it.

const TOKEN_KEY = 'jorm.token';

/** An error answered by the server: `status` and its message. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Takes a `?token=` from the page URL once: stores it and removes it from the address bar. */
export function adoptTokenFromUrl() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + (url.search === '?' ? '' : url.search) + url.hash);
  }
}

function headers(extra = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

let loginPending;

/** Shows the login dialog (saying so when a stored token was refused) and resolves once one was entered. */
function askForToken() {
  if (loginPending) return loginPending;
  const dialog = document.getElementById('login');
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('input');
  const refused = sessionStorage.getItem(TOKEN_KEY) !== null;
  dialog.querySelector('.login-error').textContent = refused ? 'That token was not accepted.' : '';
  loginPending = new Promise((resolve) => {
    const done = (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      sessionStorage.setItem(TOKEN_KEY, value);
      form.removeEventListener('submit', done);
      dialog.close();
      loginPending = undefined;
      resolve();
    };
    form.addEventListener('submit', done);
  });
  if (!dialog.open) dialog.showModal();
  input.focus();
  return loginPending;
}

/** Calls the JSON API; retries once after a login when the server asks for a token. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  for (let tries = 0; ; tries++) {
    const response = await fetch(path, {
      method,
      signal,
      headers: headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (response.status === 401 && tries < 3) {
      await askForToken();
      continue;
    }
    if (!response.ok) {
      throw new ApiError(response.status, data?.error?.message ?? `HTTP ${response.status}`, data);
    }
    return data;
  }
}

/**
 * Follows an event stream: calls `onEvent(name, data)` for each event and reconnects after a drop
 * (`onState('live' | 'reconnecting')`). Stops when `signal` aborts, or after `onError(error)` for a
 * 4xx answer (such as an unknown execution).
 */
export function follow(path, { onEvent, onState, onError, signal }) {
  const run = async () => {
    let delay = 1000;
    while (!signal.aborted) {
      try {
        const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
        if (response.status === 401) {
          await askForToken();
          continue;
        }
        if (response.status >= 400 && response.status < 500) {
          // An unknown execution, say: nothing to follow.
          const data = await response.json().catch(() => ({}));
          onError?.(new ApiError(response.status, data?.error?.message ?? `HTTP ${response.status}`, data));
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState?.('live');
        delay = 1000;
        await readEvents(response.body, onEvent);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError) throw error;
      }
      if (signal.aborted) return;
      onState?.('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
  };
  run();
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
      end = buffer.indexOf('\n\n');
    }
  }
}
