/**
 * Turning resolved configuration values into the typed configuration, and back into flat values for
 * display.
 * @module
 */

import type { DistributedSettings } from '../distributed/settings.js';
import { defaultExecutorConfig, type ExecutorConfig } from '../engine/executor-config.js';
import { defaultEnvironmentConfig, type EnvironmentConfig } from '../env/environment-config.js';
import type { RetryConfig } from '../model/task.js';
import type { ResourceLimits } from '../resources/limits.js';
import { defaultStateConfig } from '../state/config.js';
import type { StateConfig } from '../state/types.js';
import { FIELDS, type FieldSpec, type LogLevel, MAPS } from './schema.js';
import type { ConfigValue } from './values.js';

/** The typed configuration, before sources. */
export interface TypedConfiguration {
  executor: ExecutorConfig;
  state: { enabled: boolean; config: StateConfig };
  environment: EnvironmentConfig;
  logLevel: LogLevel;
  distributed?: DistributedSettings;
}

/** The defaults of a retry policy whose section is present. */
const RETRY_DEFAULTS: RetryConfig = {
  maxAttempts: 3,
  initialDelay: 1000,
  maxDelay: 60_000,
  useExponential: true,
};

/** The defaults of resource limits whose section is present, for an executor of `concurrency`. */
function limitDefaults(concurrency: number): ResourceLimits {
  return {
    maxCpuPercent: 80,
    maxMemoryPercent: 80,
    maxConcurrentTasks: Math.max(1, Math.floor(concurrency / 2)),
    monitoringInterval: 1000,
    throttleThreshold: 0.9,
  };
}

function sectionOf(
  config: TypedConfiguration,
  spec: Pick<FieldSpec, 'target'>,
): Record<string, unknown> | undefined {
  switch (spec.target.section) {
    case 'executor':
      return config.executor as unknown as Record<string, unknown>;
    case 'state':
      return spec.target.path[0] === 'enabled'
        ? (config.state as unknown as Record<string, unknown>)
        : (config.state.config as unknown as Record<string, unknown>);
    case 'environment':
      return config.environment as unknown as Record<string, unknown>;
    case 'distributed':
      return config.distributed as unknown as Record<string, unknown> | undefined;
    case 'root':
      return config as unknown as Record<string, unknown>;
    default:
      return spec.target.section satisfies never;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const step of path.slice(0, -1)) {
    node[step] ??= {};
    node = node[step] as Record<string, unknown>;
  }
  node[path[path.length - 1] ?? ''] = value;
}

function getPath(target: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  let node: unknown = target;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}

/**
 * Builds the typed configuration from defaults and resolved values (by dotted key). Sections that are
 * optional (`retry_config`, `resource_limits`, `distributed`) exist when any of their keys is set, their
 * other keys taking defaults; `filled` receives the keys so defaulted.
 */
export function buildConfiguration(
  values: ReadonlyMap<string, ConfigValue>,
  filled: Set<string>,
): TypedConfiguration {
  const config: TypedConfiguration = {
    executor: defaultExecutorConfig(),
    state: { enabled: true, config: defaultStateConfig() },
    environment: defaultEnvironmentConfig(),
    logLevel: 'info',
  };
  const has = (prefix: string): boolean => [...values.keys()].some((k) => k.startsWith(prefix));
  if (has('distributed.')) config.distributed = {};
  for (const spec of FIELDS) {
    const value = values.get(spec.key);
    if (value === undefined) continue;
    const section = sectionOf(config, spec);
    if (section) setPath(section, spec.target.path, value);
  }
  for (const map of MAPS) {
    const prefix = `${map.key}.`;
    const record: Record<string, string> = {};
    for (const [key, value] of values)
      if (key.startsWith(prefix)) record[key.slice(prefix.length)] = String(value);
    if (Object.keys(record).length > 0) {
      const section = sectionOf(config, map) as Record<string, unknown>;
      setPath(section, map.target.path, record);
    }
  }
  const fill = <T extends object>(sectionKey: string, defaults: T, current: Partial<T> | undefined): T => {
    const out = { ...defaults, ...current };
    for (const spec of FIELDS) {
      if (spec.key.startsWith(`${sectionKey}.`) && !values.has(spec.key)) filled.add(spec.key);
    }
    return out;
  };
  if (has('executor.retry_config.')) {
    config.executor.retryConfig = fill('executor.retry_config', RETRY_DEFAULTS, config.executor.retryConfig);
  }
  if (has('executor.resource_limits.')) {
    const defaults = limitDefaults(config.executor.maxConcurrentTasks);
    config.executor.resourceLimits = fill(
      'executor.resource_limits',
      defaults,
      config.executor.resourceLimits,
    );
  }
  return config;
}

/** The camelCase field path of the typed configuration → the dotted snake_case key. */
export function keyOfField(section: FieldSpec['target']['section'], path: string): string | undefined {
  for (const spec of FIELDS) {
    if (spec.target.section === section && spec.target.path.join('.') === path) return spec.key;
  }
  for (const map of MAPS)
    if (map.target.section === section && map.target.path.join('.') === path) return map.key;
  return undefined;
}

/** Every value of a typed configuration as dotted key → value, in schema order (variables one by one). */
export function flattenConfiguration(config: TypedConfiguration): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  for (const spec of FIELDS) {
    const value = getPath(sectionOf(config, spec), spec.target.path);
    if (
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      typeof value === 'string' ||
      Array.isArray(value)
    ) {
      out.set(spec.key, value as ConfigValue);
    }
  }
  for (const map of MAPS) {
    const record = getPath(sectionOf(config, map), map.target.path) as Record<string, string> | undefined;
    for (const [name, value] of Object.entries(record ?? {})) out.set(`${map.key}.${name}`, value);
  }
  return out;
}
