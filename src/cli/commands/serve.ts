/**
 * `jorm serve`: the web dashboard and HTTP API over the state database.
 * @module
 */

import type { Command } from 'commander';
import { errorMessage } from '../../model/errors.js';
import { DEFAULT_HOST, DEFAULT_PORT, TOKEN_ENV } from '../../server/options.js';
import { startDashboardServer } from '../../server/start.js';
import { resolveStateLocation } from '../../state/config.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { registerCommand } from '../program.js';

interface ServeOptions {
  port: string;
  host: string;
  token?: string;
  state?: string;
  dir: string;
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new CliExit(
      ExitCode.InvalidInput,
      `jorm serve: --port must be a number from 0 to 65535, got "${text}"`,
    );
  }
  return Number(text);
}

async function serve(options: ServeOptions): Promise<void> {
  const token = options.token ?? (process.env[TOKEN_ENV] || undefined);
  const port = parsePort(options.port);
  const databaseUrl = resolveStateLocation(options.state === undefined ? {} : { state: options.state });
  let server: Awaited<ReturnType<typeof startDashboardServer>>;
  try {
    server = await startDashboardServer({
      host: options.host,
      port,
      ...(token !== undefined ? { token } : {}),
      databaseUrl,
      directory: options.dir,
      onError: (error, req) => {
        process.stderr.write(`jorm serve: ${req.method} ${req.url}: ${errorMessage(error)}\n`);
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliExit(
        ExitCode.InvalidInput,
        `jorm serve: port ${port} is in use; choose another with --port`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CliExit(
        ExitCode.InvalidInput,
        `jorm serve: cannot listen on ${options.host}: ${errorMessage(error)}`,
      );
    }
    throw error;
  }
  process.stdout.write(`jorm dashboard: ${server.url}/\n`);
  process.stderr.write(
    `  state ${databaseUrl.replace(/^sqlite:/, '')}, DAG files under ${options.dir}` +
      `${token !== undefined ? ', token required' : ''}; Ctrl-C stops the server (runs it started keep going)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
  });
  await server.close();
}

registerCommand((program: Command) => {
  program
    .command('serve')
    .description('serve the web dashboard and the HTTP API over the state database')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on; anything but loopback needs a token', DEFAULT_HOST)
    .option('--token <token>', `bearer token every API request must carry (or ${TOKEN_ENV})`)
    .option('--state <path>', 'state database (default: .jorm/state.db, or JORM_STATE_DATABASE_URL)')
    .option('--dir <dir>', 'directory of the DAG files the dashboard lists and runs', '.')
    .action((options: ServeOptions) => serve(options));
});
