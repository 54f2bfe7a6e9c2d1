/**
 * The rules of an environment configuration: variable names and name patterns.
 * @module
 */

import type { EnvironmentConfig } from './environment-config.js';
import { isVariableName, patternProblem } from './names.js';

/** One broken rule: the field, the offending value, and a message naming both and the rule. */
export interface EnvironmentConfigProblem {
  field: string;
  value: string;
  message: string;
}

/**
 * Every bad variable name (of the executor's variables and the config's) and every bad pattern (of
 * `exclude` and `securePrefixes`).
 */
export function environmentConfigProblems(
  executorEnv: Readonly<Record<string, string>>,
  config: EnvironmentConfig,
): EnvironmentConfigProblem[] {
  const problems: EnvironmentConfigProblem[] = [];
  const names = (field: string, record: Readonly<Record<string, string>>): void => {
    for (const name of Object.keys(record)) {
      if (!isVariableName(name)) {
        problems.push({
          field,
          value: name,
          message: `${field}: "${name}" is not a valid variable name (use letters, digits and "_", not starting with a digit)`,
        });
      }
    }
  };
  const patterns = (field: string, list: readonly string[]): void => {
    for (const [i, pattern] of list.entries()) {
      const problem = patternProblem(pattern);
      if (problem) {
        problems.push({
          field: `${field}[${i}]`,
          value: pattern,
          message: `${field}[${i}]: "${pattern}": ${problem}`,
        });
      }
    }
  };
  names('environmentVariables', executorEnv);
  names('environment.variables', config.variables);
  patterns('environment.exclude', config.exclude);
  patterns('environment.securePrefixes', config.securePrefixes);
  return problems;
}
