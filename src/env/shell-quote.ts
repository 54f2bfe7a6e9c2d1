/**
 * Quoting a value as one word of a shell command line (the `|shell` filter).
 * @module
 */

/**
 * Quotes `value` so that the given shell reads it back as one literal word, whatever it contains.
 *
 * - `sh`, `bash`, `zsh`, `dash`, `ksh` (the default): single quotes, a `'` written as `'\''`.
 * - `fish`: single quotes, with `\` and `'` escaped by a backslash.
 * - `powershell` / `pwsh`: single quotes, a `'` doubled.
 * - `cmd`: double quotes, a `"` doubled. `cmd` has no complete quoting: `%VAR%` is still expanded, so
 *   prefer passing untrusted text through an environment variable (`JORM_OUTPUT_<ID>`) there.
 */
export function quoteForShell(value: string, shell = 'sh'): string {
  const name = shellName(shell);
  switch (name) {
    case 'fish':
      return `'${value.replace(/[\\']/g, '\\$&')}'`;
    case 'powershell':
    case 'pwsh':
      return `'${value.replace(/'/g, "''")}'`;
    case 'cmd':
      return `"${value.replace(/"/g, '""')}"`;
    default:
      // Safe words stay bare (no `=`: a bare `A=b` at the start of a command is an assignment).
      if (value !== '' && /^[A-Za-z0-9_@%+:,./-]+$/.test(value)) return value;
      return `'${value.replace(/'/g, "'\\''")}'`;
  }
}

/** The shell's base name without directory or `.exe` (`/usr/bin/bash` → `bash`). */
function shellName(shell: string): string {
  const base = shell.trim().split(/[\\/]/).pop() ?? shell;
  return base.toLowerCase().replace(/\.exe$/, '');
}
