/**
 * Which program runs a shell command: `sh`, `bash`, `zsh`, `fish`, `dash`, `ksh` or a path to a POSIX-like
 * shell (`<shell> -c <command>`); `cmd` and `powershell` on Windows; `pwsh` anywhere.
 * @module
 */

import { basename } from 'node:path';
import { ValidationError } from '../model/errors.js';
import { quote } from './validate-config.js';

/** The shells known by name. */
export const KNOWN_SHELLS = [
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'cmd',
  'powershell',
  'pwsh',
] as const;

const isWindows = process.platform === 'win32';

/** The shell used when neither the task nor the executor names one: `sh`, or `cmd` on Windows. */
export const PLATFORM_DEFAULT_SHELL = isWindows ? 'cmd' : 'sh';

/** How to start a shell command. */
export interface ShellInvocation {
  file: string;
  args: string[];
  windowsVerbatimArguments?: boolean;
}

function shellName(shell: string): string {
  return basename(shell)
    .toLowerCase()
    .replace(/\.exe$/, '');
}

/** Throws a `ValidationError` when `shell` is neither a known shell nor a path. */
export function checkShell(shell: string, field = 'shell'): void {
  const isPath = shell.includes('/') || shell.includes('\\');
  const name = shellName(shell);
  if (!isPath && !(KNOWN_SHELLS as readonly string[]).includes(name)) {
    throw new ValidationError(
      `"${field}" must be one of ${KNOWN_SHELLS.join(', ')} or a path to a shell, got ${quote(shell)}`,
      field,
      shell,
    );
  }
  if (!isWindows && (name === 'cmd' || name === 'powershell')) {
    throw new ValidationError(
      `shell ${quote(shell)} is only available on Windows (use pwsh for PowerShell elsewhere)`,
      field,
      shell,
    );
  }
}

/** The program and arguments that run `command` in `shell`. */
export function shellInvocation(shell: string, command: string): ShellInvocation {
  const name = shellName(shell);
  switch (name) {
    case 'cmd':
      return { file: shell, args: ['/d', '/s', '/c', `"${command}"`], windowsVerbatimArguments: true };
    case 'powershell':
    case 'pwsh':
      return { file: shell, args: ['-NoProfile', '-NonInteractive', '-Command', command] };
    default:
      // `sh` by name is /bin/sh: no PATH search (it is what POSIX systems guarantee).
      return { file: shell === 'sh' && !isWindows ? '/bin/sh' : shell, args: ['-c', command] };
  }
}
