/**
 * The shell code a shell server runs for one task, and which requests it can run at all.
 *
 * The server is a long-lived POSIX shell reading commands from its stdin. For each task it gets one line:
 *
 *     (exec </dev/null 3<&- 2>&4 4>&-; cd -P -- '/dir' || exit; printf START; printf START >&2;
 *      unset -v …; export K='v' …; eval '<command>'); printf END<status>; printf END >&4
 *
 * The server keeps the stderr pipe on fd 4 and its own fd 2 on /dev/null: what it says itself (such as
 * "Terminated" when a subshell is killed by a signal) is not the task's output.
 *
 * The subshell is a `fork` of the server (no `exec`): that is what makes it fast. The environment is
 * the server's own (the first task's, or the variables an execution shares) plus this task's differences.
 *
 * A server can also fork the subshell before its task is known ({@link preforkScript}): the subshell
 * then reads the same commands ({@link preforkedBody}) from a FIFO, so that the fork is done by the time
 * the task starts.
 * @module
 */

import { MarkerSplitter } from './marker-splitter.js';

/** Variables the shell manages itself: a task that sets them differently from its server runs by spawn. */
const SHELL_MANAGED = new Set(['IFS', 'OPTIND', 'PPID', 'LINENO', 'PWD', 'OLDPWD', 'ENV']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `&` ending a command (a background job; `&>` too, in a POSIX shell), not `&&`, `>&` or `<&`. */
const BACKGROUND = /(^|[^&<>])&(?!&)/;
/** Commands that leave processes behind on purpose. */
const DETACHING = /\b(nohup|setsid|disown|daemon|daemonize|start-stop-daemon)\b/;
/** `$$` is the server's pid inside a subshell, not the task's. */
const OWN_PID = /\$\$|\$\{\$\}/;

/** Quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * Why a command must run by plain spawn instead (a background job, `$$`, a detaching tool), or undefined.
 * A subshell shares the server's process group and output pipes, so whatever outlives the task would too.
 */
export function commandNeedsSpawn(command: string): string | undefined {
  if (command.includes('\0')) return 'a NUL character';
  if (BACKGROUND.test(command)) return 'a background job (&)';
  if (OWN_PID.test(command)) return '$$';
  if (DETACHING.test(command)) return 'a detaching command';
  return undefined;
}

/**
 * Whether the variables `vars` can be set in a subshell of a server whose base environment is `base`:
 * shell names without NUL in their values, and none of the variables the shell manages changed. With
 * `all`, every variable is checked and none counts as changed (a server's own base).
 */
function variablesFit(
  base: Readonly<Record<string, string>>,
  vars: Readonly<Record<string, string>>,
  all: boolean,
): boolean {
  for (const key in vars) {
    const value = vars[key]!;
    if (!all && base[key] === value) continue;
    if (!NAME.test(key) || value.includes('\0')) return false;
    if (!all && SHELL_MANAGED.has(key) && key !== 'PWD' && key !== 'OLDPWD') return false;
  }
  return true;
}

/**
 * Whether an environment can be given to a server whose base environment is `base` (itself checked with
 * `environmentFits(base, base)` when the server was made, so the variables it shares need no new check).
 */
export function environmentFits(
  base: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
): boolean {
  if (!variablesFit(base, env, base === env)) return false;
  for (const key in base) {
    if (SHELL_MANAGED.has(key) && key !== 'PWD' && key !== 'OLDPWD' && !(key in env)) return false;
  }
  return true;
}

/**
 * Whether the environment `base` with `overrides` over it can be given to a server whose base environment
 * is `base` (checked with `environmentFits(base, base)` when the server was made): only the overrides
 * that change something are looked at.
 */
export function overridesFit(
  base: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
): boolean {
  return variablesFit(base, overrides, false);
}

/**
 * How a task's environment differs from its server's `base`: either the task's whole environment (`env`),
 * or `base` itself with the task's `overrides` over it (the same environment, compared in fewer steps).
 */
export type EnvironmentOfTask =
  | { readonly env: Readonly<Record<string, string>>; readonly overrides?: undefined }
  | { readonly env?: undefined; readonly overrides: Readonly<Record<string, string>> };

/**
 * The commands of one task, as a subshell runs them: enter the directory (or end without a START marker),
 * print the START markers, set the environment's differences from the server's `base`, run the command.
 */
export function taskBody(
  token: string,
  base: Readonly<Record<string, string>>,
  task: EnvironmentOfTask,
  cwd: string,
  command: string,
): string {
  const start = MarkerSplitter.format(token, 'S');
  let setup = '';
  const env = task.env ?? task.overrides;
  if (task.env) {
    const unset: string[] = [];
    for (const key in base) if (!(key in env) && key !== 'PWD') unset.push(key);
    if (unset.length > 0) setup += `unset -v ${unset.join(' ')}; `;
  }
  let exports = '';
  for (const key in env) {
    if (key === 'PWD' || key === 'OLDPWD') continue;
    const value = env[key]!;
    if (base[key] !== value) exports += ` ${key}=${shellQuote(value)}`;
  }
  if (exports) setup += `export${exports}; `;
  const variable = (key: string) => (task.env ? task.env[key] : (task.overrides[key] ?? base[key]));
  const pwd = variable('PWD');
  const oldPwd = variable('OLDPWD');
  const restoreOldPwd = oldPwd === undefined ? 'unset -v OLDPWD' : `export OLDPWD=${shellQuote(oldPwd)}`;
  const cd = enterDirectory(cwd, pwd);
  // A task whose directory cannot be entered never starts (no START marker): the launcher then runs it
  // by spawn, whose failure runProcess turns into the "working directory … does not exist" error. cd's
  // own message arrives outside any task, which retires the server; not redirecting it to /dev/null
  // spares every task the half-dozen system calls of that redirection.
  return (
    `${cd} || exit; printf '${start}'; printf '${start}' >&2; ${setup}` +
    `${restoreOldPwd}; eval ${shellQuote(command)}`
  );
}

/**
 * The `cd` into `cwd` that leaves `$PWD` as `sh -c` started there sets it: the environment's PWD (`pwd`)
 * when it is an absolute path to that directory (the same file, as the shell checks when it starts),
 * else the physical path.
 */
function enterDirectory(cwd: string, pwd: string | undefined): string {
  const dir = shellQuote(cwd);
  if (pwd === cwd) return `cd -- ${dir}`;
  if (!pwd?.startsWith('/')) return `cd -P -- ${dir}`;
  const logical = shellQuote(pwd);
  return `if [ ${logical} -ef ${dir} ]; then cd -- ${logical}; else cd -P -- ${dir}; fi`;
}

/** What the server prints when a subshell has ended: END with its status on stdout, END on stderr. */
function endMarkers(token: string): string {
  return `printf '${MarkerSplitter.format(token, 'E%s')}' "$?"; printf '${MarkerSplitter.format(token, 'E')}' >&4\n`;
}

/** The line that runs one task on a server: its {@link taskBody} in a subshell, then the END markers. */
export function taskScript(token: string, body: string): string {
  // fd 3: the server keeps its pre-fork FIFO there (once it has one); no task inherits it. fd 4: the
  // stderr pipe, which the subshell takes as its fd 2 (the server's own fd 2 is /dev/null).
  return `(exec </dev/null 3<&- 2>&4 4>&-; ${body}); ${endMarkers(token)}`;
}

/**
 * The line that forks a subshell ahead of its task: `readCommand` has it read a {@link preforkedBody}
 * from the server's FIFO; it ends without a START marker at the FIFO's end-of-file.
 */
export function preforkScript(token: string, readCommand: string): string {
  return `(exec </dev/null 2>&4 4>&-; ${readCommand}); ${endMarkers(token)}`;
}

/** What a pre-forked subshell reads from the FIFO: the task's body, then `exit` so that it reads no further. */
export function preforkedBody(body: string): string {
  return `${body}\nexit\n`;
}
