/**
 * The `jorm` command line: builds the commander program from the commands in `./commands/`.
 * @module
 */

import { Command, CommanderError } from 'commander';
import { DagValidationError, ExecutorError } from '../model/errors.js';
import { jormVersion } from '../version.js';
import { CliExit, ExitCode } from './exit-codes.js';

/** A function that adds one sub-command to the program. */
export type CommandInstaller = (program: Command) => void;

const installers: CommandInstaller[] = [];

/** Registers a sub-command installer; each `commands/*.ts` file calls this once. */
export function registerCommand(installer: CommandInstaller): void {
  installers.push(installer);
}

/** Builds the program with every registered command. */
export function buildProgram(): Command {
  const program = new Command('jorm')
    .description('Run DAGs of shell, Python, HTTP and file tasks in parallel.')
    .version(jormVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      writeOut: (text) => process.stdout.write(text),
    });
  for (const install of installers) install(program);
  for (const c of program.commands) {
    c.exitOverride();
    c.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and resolves to the exit code.
 * Errors of jorm's family are printed as messages, never as stack traces.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? ExitCode.Success : Number(process.exitCode);
  } catch (error) {
    const code = reportError(error);
    if (code !== ExitCode.Success && wantsJson(argv)) writeJsonError(error, code);
    return code;
  }
}

/** Whether the command line asks for JSON (`--json` before any `--`). */
function wantsJson(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--json') return true;
  }
  return false;
}

/**
 * With `--json`, a command that fails still prints one JSON document on stdout, so that a script
 * reading it gets the failure too: `{"error": {"code", "message", "exitCode"}}` (the message as on
 * stderr, without its `jorm: ` prefix).
 */
function writeJsonError(error: unknown, exitCode: number): void {
  let code: string;
  if (error instanceof ExecutorError) code = error.code;
  else if (error instanceof CommanderError) code = 'COMMAND_LINE_ERROR';
  else if (error instanceof CliExit) code = exitCode === ExitCode.InvalidInput ? 'INVALID_INPUT' : 'FAILED';
  else code = 'INTERNAL_ERROR';
  const raw = error instanceof CommanderError ? error.message.replace(/^error: /, '') : errorText(error);
  const message = raw.replace(/^jorm: /, '');
  const problems = (
    error instanceof CliExit
      ? error.diagnostics
      : error instanceof DagValidationError
        ? error.diagnostics
        : []
  ).map((d) => ({ ...d.location, message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
  const document = { error: { code, message, exitCode, ...(problems.length > 0 ? { problems } : {}) } };
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Prints an error for a person and returns the exit code it maps to. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help') return 0;
    return ExitCode.InvalidInput;
  }
  if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof DagValidationError) {
    process.stderr.write(`${error.message}\n`);
    return ExitCode.InvalidInput;
  }
  if (error instanceof ExecutorError) {
    process.stderr.write(`jorm: ${error.message}\n`);
    return ExitCode.InvalidInput;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`jorm: internal error (please report it): ${message}\n`);
  return 70;
}
