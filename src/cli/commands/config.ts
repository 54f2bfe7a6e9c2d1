/**
 * `jorm config`: the effective configuration and where each value came from.
 * @module
 */

import type { Command } from 'commander';
import {
  addConfigFileOptions,
  addExtraValueOptions,
  type ConfigCommandOptions,
  configFlagsOf,
} from '../../config/cli-options.js';
import { type Configuration, loadConfiguration } from '../../config/load.js';
import { fieldSpec } from '../../config/schema.js';
import { formatSource } from '../../config/sources.js';
import { formatValue } from '../../config/values.js';
import { secureNameMatcher } from '../../env/environment-config.js';
import { MASK } from '../../env/secure-value.js';
import { registerCommand } from '../program.js';

const VARIABLE_TABLES = ['executor.environment_variables.', 'environment.variables.'];

/** A URL with the password of its user info replaced by `***` (`redis://:***@host:6379`). */
function hideUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, `$1${MASK}@`);
}

/** The configuration with the values of secret variables and URL passwords replaced by `***`. */
function maskSecrets(config: Configuration): Configuration {
  const secure = secureNameMatcher(config.environment.securePrefixes);
  const maskRecord = (record: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, secure(k) ? MASK : v]));
  const values = { ...config.values };
  for (const [key, value] of Object.entries(values)) {
    const table = VARIABLE_TABLES.find((t) => key.startsWith(t));
    if (table && secure(key.slice(table.length))) values[key] = MASK;
    else if (typeof value === 'string') values[key] = hideUrlPassword(value);
  }
  return {
    ...config,
    executor: { ...config.executor, environmentVariables: maskRecord(config.executor.environmentVariables) },
    environment: { ...config.environment, variables: maskRecord(config.environment.variables) },
    state: {
      ...config.state,
      config: { ...config.state.config, databaseUrl: hideUrlPassword(config.state.config.databaseUrl) },
    },
    ...(config.distributed
      ? {
          distributed: {
            ...config.distributed,
            ...(config.distributed.redisUrl
              ? { redisUrl: hideUrlPassword(config.distributed.redisUrl) }
              : {}),
          },
        }
      : {}),
    values,
  };
}

function printHuman(config: Configuration, cwd: string): void {
  const out: string[] = [];
  out.push(
    `config file: ${config.configFile ?? 'none (no jorm.toml, jorm.json or jorm.yaml here or in a parent)'}`,
  );
  if (config.profile) {
    out.push(
      `profile: ${config.profile} (from ${config.profileSource ? formatSource(config.profileSource, cwd) : 'code'})`,
    );
  } else out.push('profile: none');
  out.push('');
  const rows = Object.entries(config.values).map(([key, value]) => {
    const source = config.sources[key];
    const table = VARIABLE_TABLES.find((t) => key.startsWith(t));
    const shown = value === MASK || table ? String(value) : formatValue(fieldSpec(key), value);
    return [key, shown, source ? formatSource(source, cwd) : 'default'] as const;
  });
  const keyWidth = Math.max(3, ...rows.map((r) => r[0].length));
  const valueWidth = Math.min(40, Math.max(5, ...rows.map((r) => r[1].length)));
  out.push(`${'KEY'.padEnd(keyWidth)}  ${'VALUE'.padEnd(valueWidth)}  SOURCE`);
  for (const [key, value, source] of rows)
    out.push(`${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${source}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function printJson(config: Configuration, cwd: string): void {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.values)) {
    const source = config.sources[key] ?? { kind: 'default' };
    values[key] = { value, source: formatSource(source, cwd), origin: source };
  }
  const document = {
    configFile: config.configFile ?? null,
    profile: config.profile ?? null,
    profileSource: config.profileSource ? formatSource(config.profileSource, cwd) : null,
    executor: config.executor,
    state: config.state,
    environment: config.environment,
    logLevel: config.logLevel,
    distributed: config.distributed ?? null,
    values,
    warnings: config.warnings,
  };
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

registerCommand((program: Command) => {
  const command = program
    .command('config')
    .description('print the effective configuration and where each value came from')
    .option('--json', 'print one JSON document');
  addConfigFileOptions(command);
  command
    .option('--concurrency <n>', 'as jorm run --concurrency')
    .option('--timeout <duration>', 'as jorm run --timeout')
    .option('--fail-fast', 'as jorm run --fail-fast')
    .option('--state <path>', 'as jorm run --state')
    .option('--no-state', 'as jorm run --no-state')
    .option('--backend <name>', 'as jorm run --backend')
    .option('--redis <url>', 'as jorm run --redis')
    .option('--queue <name>', 'as jorm run --queue');
  addExtraValueOptions(command);
  command.action((options: ConfigCommandOptions & { json?: boolean }) => {
    const cwd = process.cwd();
    const config = maskSecrets(
      loadConfiguration({
        cwd,
        ...(options.config ? { configPath: options.config } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        flags: configFlagsOf(options as unknown as Record<string, unknown>),
      }),
    );
    for (const warning of config.warnings) process.stderr.write(`jorm: warning: ${warning}\n`);
    if (options.json) printJson(config, cwd);
    else printHuman(config, cwd);
  });
});
