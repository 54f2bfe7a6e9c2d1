/**
 * Messages for HTTP requests that got no response: refused, unknown host, reset, timed out.
 * @module
 */

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Why a `fetch` failed, in words, from its error (and its `cause`). */
export function networkFailure(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined && REASONS[code]) return `${REASONS[code]} (${code})`;
    if (code !== undefined && cause.message) return `${cause.message} (${code})`;
    if (!(cause.cause instanceof Error)) break;
    cause = cause.cause;
  }
  return cause instanceof Error ? cause.message : String(cause);
}
