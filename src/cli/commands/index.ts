/**
 * Loads every sub-command; each file registers itself with `registerCommand`.
 * @module
 */
import './worker.js';
import './workers.js';
