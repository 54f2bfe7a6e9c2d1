/**
 * The DAG files of the served directory: finding them, and reading one into what the DAG page shows
 * (tasks, a graph layout, every diagnostic with its line and column). Parsed files are cached by
 * modification time and size.
 * @module
 */

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dag } from '../../model/dag.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { HttpError } from '../http/http-error.js';
import { type GraphLayout, layoutGraph } from '../views/graph-layout.js';
import { isInside, resolveInside, toRelative } from './safe-path.js';
import { summarizeTask } from './task-summary.js';

/** Reads a DAG file: the DAG when it parses, and every problem found. Never throws for bad input. */
export type DagLoader = (file: string) => Promise<{ dag?: Dag; diagnostics: Diagnostic[] }>;

/** A diagnostic as the API sends it. */
export interface DiagnosticView {
  code: string;
  message: string;
  line?: number;
  column?: number;
  hint?: string;
  taskId?: string;
}

/** One task of a DAG file. */
export interface DagTaskView {
  id: string;
  name: string;
  type: string;
  dependsOn: string[];
  /** What it runs, in one line (no environment, headers or credentials). */
  summary: string;
}

/** A DAG file in the listing. */
export interface DagFileSummary {
  /** Relative to the served directory, `/`-separated. */
  path: string;
  dagId?: string;
  name?: string;
  taskCount: number;
  valid: boolean;
  errorCount: number;
}

/** A DAG file with its graph and diagnostics. */
export interface DagFileView extends DagFileSummary {
  description?: string;
  /** Declared parameters with their defaults. */
  params: Record<string, string>;
  tasks: DagTaskView[];
  graph: GraphLayout;
  diagnostics: DiagnosticView[];
}

/** Extensions always taken as DAG files. */
const DAG_EXTENSIONS = new Set(['.jorm']);
/** Extensions taken as DAG files when their text looks like one. */
const MAYBE_EXTENSIONS: Record<string, RegExp> = {
  '.txt': /^\s*task\s+[^\s{]+\s*\{/m,
  '.yaml': /^tasks\s*:/m,
  '.yml': /^tasks\s*:/m,
  '.json': /^\s*\{[\s\S]*"tasks"\s*:/,
};
/** Folders never searched. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'test-output']);
/** Search limits. */
const MAX_DEPTH = 6;
const MAX_FILES = 2000;
const MAX_SNIFF_BYTES = 512 * 1024;

/** Finds and reads the DAG files of one directory. */
export class DagFiles {
  private readonly cache = new Map<string, { key: string; view: DagFileView }>();

  constructor(
    /** The served directory (a real path). */
    readonly root: string,
    private readonly loader: DagLoader,
  ) {}

  /** The DAG files under the directory, sorted by path, each parsed (from the cache when unchanged). */
  async list(): Promise<DagFileSummary[]> {
    const files = await this.find();
    const out: DagFileSummary[] = [];
    for (const file of files) {
      const view = await this.read(file);
      out.push({
        path: view.path,
        ...(view.dagId !== undefined ? { dagId: view.dagId } : {}),
        ...(view.name !== undefined ? { name: view.name } : {}),
        taskCount: view.taskCount,
        valid: view.valid,
        errorCount: view.errorCount,
      });
    }
    return out;
  }

  /**
   * One DAG file by its path relative to the directory.
   * @throws HttpError 400/403/404 for a path that is malformed, outside the directory or missing.
   */
  async get(relative: string): Promise<DagFileView> {
    return this.read(await this.resolve(relative));
  }

  /**
   * Resolves a client path to a real DAG file inside the directory (see `resolveInside`): one the list
   * would show, never another file (a `.env`, whose lines an error about it would quote).
   * @throws HttpError 404 for a file that is not a DAG file.
   */
  async resolve(relative: string): Promise<string> {
    const file = await resolveInside(this.root, relative);
    if (path.basename(file).startsWith('.') || !(await isDagFile(file))) {
      throw new HttpError(
        404,
        `${relative} is not a DAG file (a .jorm file, or a .yaml, .yml, .json or .txt file that holds tasks)`,
      );
    }
    return file;
  }

  /** Whether an absolute path (e.g. an execution's DAG file) is inside the directory, and its relative path. */
  async relativeOf(file: string): Promise<string | undefined> {
    try {
      const real = await realpath(file);
      return isInside(this.root, real) ? toRelative(this.root, real) : undefined;
    } catch {
      return undefined;
    }
  }

  private async read(file: string): Promise<DagFileView> {
    const info = await stat(file);
    const key = `${info.mtimeMs}:${info.size}`;
    const cached = this.cache.get(file);
    if (cached?.key === key) return cached.view;
    const { dag, diagnostics } = await this.loader(file);
    const view = toView(toRelative(this.root, file), dag, diagnostics);
    this.cache.set(file, { key, view });
    return view;
  }

  private async find(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (found.length >= MAX_FILES) return;
        if (entry.name.startsWith('.')) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('build-')) await walk(full, depth + 1);
        } else if (entry.isFile() && (await isDagFile(full))) {
          found.push(full);
        }
      }
    };
    await walk(this.root, 0);
    return found.sort();
  }
}

async function isDagFile(file: string): Promise<boolean> {
  const ext = path.extname(file).toLowerCase();
  if (DAG_EXTENSIONS.has(ext)) return true;
  const sniff = MAYBE_EXTENSIONS[ext];
  if (!sniff) return false;
  try {
    const info = await stat(file);
    if (info.size > MAX_SNIFF_BYTES) return false;
    return sniff.test(await readFile(file, 'utf8'));
  } catch {
    return false;
  }
}

/** A diagnostic for the API. */
export function diagnosticView(d: Diagnostic): DiagnosticView {
  return {
    code: d.code,
    message: d.message,
    ...(d.location ? { line: d.location.line, column: d.location.column } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.taskId ? { taskId: d.taskId } : {}),
  };
}

function toView(relative: string, dag: Dag | undefined, diagnostics: Diagnostic[]): DagFileView {
  const tasks: DagTaskView[] = (dag?.tasks ?? []).map((t) => ({
    id: t.id,
    name: t.name,
    type: t.taskType,
    dependsOn: [...t.dependsOn],
    summary: summarizeTask(t.config),
  }));
  return {
    path: relative,
    ...(dag ? { dagId: dag.id, name: dag.name } : {}),
    ...(dag?.description ? { description: dag.description } : {}),
    params: { ...(dag?.params ?? {}) },
    taskCount: tasks.length,
    valid: diagnostics.length === 0 && dag !== undefined,
    errorCount: diagnostics.length,
    tasks,
    graph: layoutGraph(tasks),
    diagnostics: diagnostics.map(diagnosticView),
  };
}
