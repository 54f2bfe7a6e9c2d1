/**
 * The keys of a jorm configuration file, their types and rules, their `JORM_*` variables, and where each
 * lands in the typed configuration. The single source of truth for loading, validating and printing.
 * @module
 */

/** The log levels, least verbose first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;

/** How much jorm tells. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The type of a configuration value. */
export type ValueType =
  | { kind: 'integer'; min: number }
  | { kind: 'number'; min: number; max: number; minExclusive?: boolean }
  | { kind: 'duration'; allowZero: boolean }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'database-url' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'patterns' };

/** One key of the configuration. */
export interface FieldSpec {
  /** The dotted snake_case key: `executor.max_concurrent_tasks`. */
  key: string;
  type: ValueType;
  /** Where it lands: the section of the typed result and the camelCase path inside it. */
  target: { section: 'executor' | 'state' | 'environment' | 'distributed' | 'root'; path: string[] };
  /** The `JORM_*` variable that sets it. */
  env?: string;
  /** Whether a profile may set it. @defaultValue true */
  inProfile?: boolean;
}

/** A key whose value is a table of variables (`NAME = "value"`), each variable a value of its own. */
export interface MapSpec {
  key: string;
  target: { section: 'executor' | 'environment'; path: string[] };
}

const positiveInt: ValueType = { kind: 'integer', min: 1 };
const percent: ValueType = { kind: 'number', min: 0, max: 100, minExclusive: true };
const duration: ValueType = { kind: 'duration', allowZero: false };
const bool: ValueType = { kind: 'boolean' };

function field(
  key: string,
  type: ValueType,
  section: FieldSpec['target']['section'],
  path: string[],
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { key, type, target: { section, path }, ...extra };
}

/** Every scalar and list key. */
export const FIELDS: readonly FieldSpec[] = [
  field('log_level', { kind: 'enum', values: LOG_LEVELS }, 'root', ['logLevel'], { env: 'JORM_LOG_LEVEL' }),
  field('executor.max_concurrent_tasks', positiveInt, 'executor', ['maxConcurrentTasks'], {
    env: 'JORM_MAX_CONCURRENT_TASKS',
  }),
  field('executor.default_timeout', duration, 'executor', ['defaultTimeout'], {
    env: 'JORM_DEFAULT_TIMEOUT',
  }),
  field('executor.inherit_environment', bool, 'executor', ['inheritEnvironment']),
  field('executor.working_directory', { kind: 'path' }, 'executor', ['workingDirectory'], {
    env: 'JORM_WORKING_DIRECTORY',
  }),
  field('executor.enable_resource_throttling', bool, 'executor', ['enableResourceThrottling'], {
    env: 'JORM_ENABLE_RESOURCE_THROTTLING',
  }),
  field('executor.profile', { kind: 'string' }, 'executor', ['profile'], { inProfile: false }),
  field('executor.fail_fast', bool, 'executor', ['failFast']),
  field(
    'executor.kill_grace_period',
    { kind: 'duration', allowZero: true },
    'executor',
    ['killGracePeriod'],
    {
      env: 'JORM_KILL_GRACE_PERIOD',
    },
  ),
  field('executor.output_limit', positiveInt, 'executor', ['outputLimit']),
  field('executor.retry_config.max_attempts', positiveInt, 'executor', ['retryConfig', 'maxAttempts']),
  field('executor.retry_config.initial_delay', { kind: 'duration', allowZero: true }, 'executor', [
    'retryConfig',
    'initialDelay',
  ]),
  field('executor.retry_config.max_delay', { kind: 'duration', allowZero: true }, 'executor', [
    'retryConfig',
    'maxDelay',
  ]),
  field('executor.retry_config.use_exponential', bool, 'executor', ['retryConfig', 'useExponential']),
  field(
    'executor.resource_limits.max_cpu_percent',
    percent,
    'executor',
    ['resourceLimits', 'maxCpuPercent'],
    {
      env: 'JORM_MAX_CPU_PERCENT',
    },
  ),
  field(
    'executor.resource_limits.max_memory_percent',
    percent,
    'executor',
    ['resourceLimits', 'maxMemoryPercent'],
    {
      env: 'JORM_MAX_MEMORY_PERCENT',
    },
  ),
  field(
    'executor.resource_limits.max_concurrent_tasks',
    positiveInt,
    'executor',
    ['resourceLimits', 'maxConcurrentTasks'],
    { env: 'JORM_RESOURCE_MAX_CONCURRENT_TASKS' },
  ),
  field('executor.resource_limits.monitoring_interval', duration, 'executor', [
    'resourceLimits',
    'monitoringInterval',
  ]),
  field(
    'executor.resource_limits.throttle_threshold',
    { kind: 'number', min: 0, max: 1, minExclusive: true },
    'executor',
    ['resourceLimits', 'throttleThreshold'],
  ),
  field('state.enabled', bool, 'state', ['enabled'], { env: 'JORM_ENABLE_STATE_PERSISTENCE' }),
  field('state.database_url', { kind: 'database-url' }, 'state', ['databaseUrl'], {
    env: 'JORM_STATE_DATABASE_URL',
  }),
  field('state.enable_checkpoints', bool, 'state', ['enableCheckpoints']),
  field('state.checkpoint_interval', duration, 'state', ['checkpointInterval'], {
    env: 'JORM_CHECKPOINT_INTERVAL',
  }),
  field('state.cleanup_completed_after', duration, 'state', ['cleanupCompletedAfter'], {
    env: 'JORM_CLEANUP_COMPLETED_AFTER',
  }),
  field('state.max_execution_history', positiveInt, 'state', ['maxExecutionHistory']),
  field('environment.inherit_parent', bool, 'environment', ['inheritParent']),
  field('environment.inherit_executor', bool, 'environment', ['inheritExecutor']),
  field('environment.exclude', { kind: 'patterns' }, 'environment', ['exclude']),
  field('environment.enable_interpolation', bool, 'environment', ['enableInterpolation']),
  field('environment.secure_prefixes', { kind: 'patterns' }, 'environment', ['securePrefixes']),
  field('distributed.backend', { kind: 'enum', values: ['local', 'bullmq'] }, 'distributed', ['backend'], {
    env: 'JORM_BACKEND',
  }),
  field('distributed.redis', { kind: 'string' }, 'distributed', ['redisUrl'], { env: 'JORM_REDIS_URL' }),
  field('distributed.queue', { kind: 'string' }, 'distributed', ['queueName'], { env: 'JORM_QUEUE' }),
  field('distributed.prefix', { kind: 'string' }, 'distributed', ['prefix'], { env: 'JORM_REDIS_PREFIX' }),
  field('distributed.unreachable_timeout', duration, 'distributed', ['unreachableTimeout'], {
    env: 'JORM_REDIS_UNREACHABLE_TIMEOUT',
  }),
];

/** The keys holding tables of variables. */
export const MAPS: readonly MapSpec[] = [
  { key: 'executor.environment_variables', target: { section: 'executor', path: ['environmentVariables'] } },
  { key: 'environment.variables', target: { section: 'environment', path: ['variables'] } },
];

/** The tables that group keys. `profiles` holds named tables of the same shape as the top level. */
export const SECTIONS: readonly string[] = [
  'executor',
  'executor.retry_config',
  'executor.resource_limits',
  'state',
  'environment',
  'distributed',
];

/** The `JORM_*` variables that are not settings but are set by jorm for tasks or read elsewhere. */
export const OTHER_JORM_VARIABLES: readonly string[] = [
  'JORM_PROFILE',
  'JORM_CONFIG',
  'JORM_DAG_ID',
  'JORM_EXECUTION_ID',
  'JORM_TASK_ID',
  'JORM_ATTEMPT',
  'JORM_PAYLOAD_KEY',
  'JORM_SERVER_TOKEN',
  'JORM_LAUNCHER',
  'JORM_LISTENER_ERROR',
  'JORM_V8_TUNING',
  'JORM_CODE_CACHE',
];

const FIELD_INDEX = new Map(FIELDS.map((f) => [f.key, f]));
const MAP_INDEX = new Map(MAPS.map((m) => [m.key, m]));

/** The spec of a scalar or list key. */
export function fieldSpec(key: string): FieldSpec | undefined {
  return FIELD_INDEX.get(key);
}

/** The spec of a variables table key. */
export function mapSpec(key: string): MapSpec | undefined {
  return MAP_INDEX.get(key);
}

/** The names directly under a section (`''` for the top level), for "did you mean" suggestions. */
export function keysUnder(section: string): string[] {
  const prefix = section === '' ? '' : `${section}.`;
  const names = new Set<string>();
  for (const key of [...FIELD_INDEX.keys(), ...MAP_INDEX.keys(), ...SECTIONS]) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest && !rest.includes('.')) names.add(rest);
  }
  if (section === '') names.add('profiles');
  return [...names];
}
