/**
 * {@link HttpTaskExecutor}: sends an HTTP request with the platform's `fetch`. The response body becomes
 * stdout (streamed, its tail kept) and, when it is JSON, `outputData`; a status that is neither 2xx nor
 * listed in `expectedStatus` fails the task.
 * @module
 */

import { StringDecoder } from 'node:string_decoder';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import { formatDuration } from '../model/duration.js';
import { ValidationError } from '../model/errors.js';
import type { HttpTaskConfig, Task } from '../model/task.js';
import { TailBuffer } from '../process/tail-buffer.js';
import { applyAuth, displayUrl, validateAuth } from './http-auth.js';
import { networkFailure } from './http-errors.js';
import {
  checkExecutorTimeout,
  configOfKind,
  DEFAULT_EXECUTOR_TIMEOUT,
  optionalPositiveNumber,
  quote,
  requireString,
  requireStringRecord,
} from './validate-config.js';

/** Options of {@link HttpTaskExecutor}. */
export interface HttpExecutorOptions {
  /** The timeout of HTTP tasks when neither the task nor the executor config sets one, ms. @defaultValue 300000 */
  timeout?: number;
}

const NEEDS = 'a "url"';

/** Sends HTTP requests (the reference's `HttpTaskExecutor`). */
export class HttpTaskExecutor implements TaskExecutor {
  readonly taskType = 'http';
  private readonly timeout: number | undefined;

  constructor(options: HttpExecutorOptions = {}) {
    this.timeout = checkExecutorTimeout('HttpTaskExecutor', options.timeout);
  }

  /** An HTTP executor whose tasks time out after `timeout` ms by default. */
  static withTimeout(timeout: number): HttpTaskExecutor {
    return new HttpTaskExecutor({ timeout });
  }

  supportsParallel(): boolean {
    return true;
  }

  defaultTimeout(): number {
    return this.timeout ?? DEFAULT_EXECUTOR_TIMEOUT;
  }

  validateTask(task: Task): void {
    const config = configOfKind(task, ['http_request'], NEEDS);
    const method = requireString('method', config.method);
    // Values with `${…}` are checked after interpolation, when the request is made.
    if (!isTemplated(method) && !/^[A-Za-z]+$/.test(method)) {
      throw new ValidationError(
        `"method" must be an HTTP method such as GET or POST, got ${quote(method)}`,
        'method',
        method,
      );
    }
    const url = requireString('url', config.url);
    if (!isTemplated(url) && !/^https?:$/.test(protocolOf(url))) {
      throw new ValidationError(`"url" must be an http:// or https:// URL, got ${quote(url)}`, 'url', url);
    }
    requireStringRecord('headers', config.headers);
    if (config.body !== undefined) {
      requireString('body', config.body, true);
      if (/^(GET|HEAD)$/i.test(method)) {
        throw new ValidationError(
          `a ${method.toUpperCase()} request cannot have a "body"`,
          'body',
          quote(config.body),
        );
      }
    }
    if (config.auth !== undefined) validateAuth(config.auth);
    optionalPositiveNumber('request_timeout', config.timeout);
    const expected = config.expectedStatus;
    if (
      expected !== undefined &&
      (!Array.isArray(expected) || expected.some((s) => !Number.isInteger(s) || s < 100 || s > 599))
    ) {
      throw new ValidationError(
        `"expected_status" must be a list of HTTP statuses (100-599), got ${quote(expected)}`,
        'expected_status',
        quote(expected),
      );
    }
  }

  async execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    const config = configOfKind(task, ['http_request'], NEEDS) as HttpTaskConfig;
    const method = config.method.toUpperCase();
    const url = new URL(config.url);
    const headers = new Headers(config.headers);
    applyAuth(url, headers, config.auth);
    const shownUrl = displayUrl(url, config.auth);
    const target = `${method} ${shownUrl}`;
    if (url.username !== '' || url.password !== '') {
      // fetch refuses such a URL with a message that quotes it, password included.
      return {
        status: 'failed',
        errorMessage: `${target}: the URL holds a user name or password, which is not sent that way; use auth: { type: basic, username: …, password: … }`,
      };
    }
    if (config.body !== undefined && !headers.has('content-type') && looksLikeJson(config.body)) {
      headers.set('Content-Type', 'application/json');
    }
    const signal = context.signal;
    if (signal.aborted) return { status: 'failed', errorMessage: 'aborted' };
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer =
      config.timeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, config.timeout);
    const body = new TailBuffer(context.outputLimit);
    const metadata: Record<string, string> = { method, url: shownUrl };
    try {
      const init: RequestInit = { method, headers, signal: controller.signal, redirect: 'follow' };
      if (config.body !== undefined) init.body = config.body;
      const response = await fetch(url, init);
      metadata['status'] = String(response.status);
      metadata['statusText'] = response.statusText;
      const contentType = response.headers.get('content-type');
      if (contentType) metadata['contentType'] = contentType;
      if (response.url) metadata['url'] = displayUrl(response.url, config.auth);
      await readBody(response, body, context);
      return responseOutcome(config, response, contentType, body, metadata, target);
    } catch (error) {
      const outcome: TaskOutcome = { status: 'failed', stdout: body.toString(), metadata };
      if (signal.aborted) outcome.errorMessage = 'aborted';
      else if (timedOut)
        outcome.errorMessage = `${target}: no response within ${formatDuration(config.timeout!)}`;
      // An error that quotes the URL quotes it as shown (query secrets of api_key auth hidden).
      else outcome.errorMessage = `${target}: ${networkFailure(error).split(url.href).join(shownUrl)}`;
      return outcome;
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

async function readBody(response: Response, body: TailBuffer, context: ExecutionContext): Promise<void> {
  if (!response.body) return;
  const decoder = context.onOutput ? new StringDecoder('utf8') : undefined;
  for await (const chunk of response.body) {
    const bytes = Buffer.from(chunk);
    body.push(bytes);
    if (decoder) {
      const text = decoder.write(bytes);
      if (text !== '') context.onOutput!('stdout', text);
    }
  }
  const rest = decoder?.end();
  if (rest) context.onOutput!('stdout', rest);
}

function responseOutcome(
  config: HttpTaskConfig,
  response: Response,
  contentType: string | null,
  body: TailBuffer,
  metadata: Record<string, string>,
  target: string,
): TaskOutcome {
  const text = body.toString();
  const outcome: TaskOutcome = { stdout: text, stderr: '', exitCode: null, metadata };
  if (body.dropped > 0) metadata['stdoutTruncatedBytes'] = String(body.dropped);
  const declaredJson = contentType !== null && /[/+]json\b/i.test(contentType);
  if (body.dropped === 0 && (declaredJson || looksLikeJson(text))) {
    try {
      outcome.outputData = JSON.parse(text) as unknown;
    } catch (error) {
      if (declaredJson) metadata['jsonError'] = error instanceof Error ? error.message : String(error);
    }
  }
  const ok = response.ok || (config.expectedStatus?.includes(response.status) ?? false);
  outcome.status = ok ? 'success' : 'failed';
  if (!ok) {
    const reason = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const expected = config.expectedStatus?.length
      ? ` (expected 2xx or ${config.expectedStatus.join(', ')})`
      : '';
    outcome.errorMessage = `${target}: HTTP ${reason}${expected}`;
  }
  return outcome;
}

function isTemplated(value: string): boolean {
  return value.includes('${');
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0];
  return start === '{' || start === '[';
}
