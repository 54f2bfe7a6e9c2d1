/**
 * Loads every sub-command; each file registers itself with `registerCommand`.
 * @module
 */
import './worker.js';
import './workers.js';
import '../../distributed/run-extension.js';
import './serve.js';
import './validate.js';
import './graph.js';
import './history.js';
import './show.js';
import './logs.js';
import './config.js';
import './resume.js';
import '../../metrics/run-extension.js';
import './run.js';
