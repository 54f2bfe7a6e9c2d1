/**
 * {@link ConfigFileError}: a configuration or `.env` file with problems, each located.
 * @module
 */

import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { ConfigurationError, type ExecutorErrorOptions } from '../model/errors.js';

/**
 * One or more problems in a configuration file, a `.env` file, `JORM_*` variables or flags. The message
 * lists every problem as `file:line:col: message`; `field` and `value` are those of the first.
 */
export class ConfigFileError extends ConfigurationError {
  constructor(
    readonly diagnostics: Diagnostic[],
    field?: string,
    value?: string,
    options: ExecutorErrorOptions = {},
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'), field, value, options);
  }
}
