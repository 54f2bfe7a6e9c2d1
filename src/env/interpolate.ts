/**
 * Interpolation: resolving `${…}` references in a string.
 * See `docs/environment.md` for the syntax.
 * @module
 */

import type { InterpolationContext, TaskOutputs } from './context.js';
import { InterpolationError } from './interpolation-error.js';
import { SecureValue } from './secure-value.js';
import { quoteForShell } from './shell-quote.js';
import { hasPlaceholders, type Placeholder, parseTemplate, type Segment } from './template.js';

/** The result of interpolating one string. */
export interface InterpolatedText {
  text: string;
  /** Whether a secure value went into it (it must then be masked wherever it is shown). */
  secure: boolean;
}

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** The shell whose quoting `|shell` uses. @defaultValue `'sh'` */
  shell?: string;
  /** The field being interpolated, for error messages. */
  key?: string;
}

/** Data values as text: strings as they are, `null` as empty, objects and arrays as JSON. */
export function valueToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A task's `output`: its JSON output data when it has some, else its trimmed stdout. */
export function taskOutputValue(outputs: TaskOutputs): unknown {
  return outputs.outputData !== undefined ? outputs.outputData : outputs.stdout.trim();
}

const MISSING = Symbol('missing');

/** Follows a dotted path into data (`items.0.name`); {@link MISSING} when a step does not exist. */
function followPath(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const step of path) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    else if (current !== null && typeof current === 'object' && Object.hasOwn(current, step)) {
      current = (current as Record<string, unknown>)[step];
    } else return MISSING;
    if (current === undefined) return MISSING;
  }
  return current;
}

interface Resolution {
  value: unknown;
  secure: boolean;
  /** Why the value is missing (when it is). */
  missing?: string;
}

function resolve(p: Placeholder, ctx: InterpolationContext): Resolution {
  const ref = p.ref;
  switch (ref.kind) {
    case 'variable': {
      const v = ctx.variables[ref.name];
      if (v === undefined) return { value: MISSING, secure: false, missing: `unknown variable ${ref.name}` };
      return v instanceof SecureValue
        ? { value: v.value(), secure: v.isSecure() }
        : { value: v, secure: false };
    }
    case 'task': {
      const outputs = ctx.taskOutputs[ref.taskId];
      if (!outputs) {
        throw new InterpolationError(
          `task "${ref.taskId}" is not upstream of this task (in ${p.raw})`,
          p.raw,
        );
      }
      switch (ref.field) {
        case 'stdout':
          return { value: outputs.stdout.trim(), secure: false };
        case 'stderr':
          return { value: outputs.stderr.trim(), secure: false };
        case 'exit_code':
          return { value: outputs.exitCode === null ? '' : String(outputs.exitCode), secure: false };
        case 'output': {
          if (ref.path.length === 0) return { value: taskOutputValue(outputs), secure: false };
          if (outputs.outputData === undefined) {
            return { value: MISSING, secure: false, missing: `task "${ref.taskId}" has no JSON output data` };
          }
          const value = followPath(outputs.outputData, ref.path);
          return value === MISSING
            ? {
                value,
                secure: false,
                missing: `the output of task "${ref.taskId}" has no "${ref.path.join('.')}"`,
              }
            : { value, secure: false };
        }
        default:
          return ref.field satisfies never;
      }
    }
    case 'system': {
      const v = ctx.systemInfo[ref.key];
      return v === undefined
        ? { value: MISSING, secure: false, missing: `unknown system.${ref.key}` }
        : { value: v, secure: false };
    }
    case 'dag':
      return ctx.dagId === undefined
        ? { value: MISSING, secure: false, missing: 'no DAG id here' }
        : { value: ctx.dagId, secure: false };
    case 'execution':
      return ctx.executionId === undefined
        ? { value: MISSING, secure: false, missing: 'no execution id here' }
        : { value: ctx.executionId, secure: false };
    case 'param': {
      const v = ctx.params[ref.name];
      return v === undefined
        ? { value: MISSING, secure: false, missing: `unknown parameter ${ref.name}` }
        : { value: v, secure: false };
    }
    default:
      return ref satisfies never;
  }
}

function render(
  segments: readonly Segment[],
  ctx: InterpolationContext,
  options: InterpolateOptions,
): InterpolatedText {
  let text = '';
  let secure = false;
  for (const s of segments) {
    if (typeof s === 'string') {
      text += s;
      continue;
    }
    const r = resolve(s, ctx);
    let value = r.value;
    secure ||= r.secure;
    if ((value === MISSING || value === '') && s.fallback) {
      const fallback = render(s.fallback, ctx, options);
      value = fallback.text;
      secure ||= fallback.secure;
    } else if (value === MISSING) {
      throw new InterpolationError(
        `${r.missing ?? 'missing value'} in ${s.raw} (give a default: \${…:-value})`,
        s.raw,
      );
    }
    switch (s.filter) {
      case undefined:
        text += valueToText(value);
        break;
      case 'shell':
        text += quoteForShell(valueToText(value), options.shell);
        break;
      case 'json':
        text += JSON.stringify(value ?? null);
        break;
      default:
        return s.filter satisfies never;
    }
  }
  return { text, secure };
}

/**
 * Interpolates one string.
 * @throws InterpolationError for a malformed template, an unknown variable or parameter without default,
 * or a task that is not in `context.taskOutputs`.
 */
export function interpolate(
  template: string,
  context: InterpolationContext,
  options: InterpolateOptions = {},
): InterpolatedText {
  if (!hasPlaceholders(template)) return { text: template, secure: false };
  const parsed = parseTemplate(template);
  const problem = parsed.problems[0];
  if (problem) throw new InterpolationError(problem.message, problem.raw, { key: options.key });
  try {
    return render(parsed.segments, context, options);
  } catch (error) {
    if (error instanceof InterpolationError && error.key === undefined && options.key !== undefined) {
      throw new InterpolationError(error.detail, error.reference, { key: options.key });
    }
    throw error;
  }
}

/** Interpolates one string and returns the text. @throws InterpolationError */
export function interpolateString(
  template: string,
  context: InterpolationContext,
  options: InterpolateOptions = {},
): string {
  return interpolate(template, context, options).text;
}
