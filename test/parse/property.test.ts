// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG files keep ${…} references verbatim; these are plain strings
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dag } from '../../src/model/dag.js';
import { DagValidationError } from '../../src/model/errors.js';
import { Task } from '../../src/model/task.js';
import { readJsonDocument } from '../../src/parse/json-reader.js';
import { type DagFormat, parseDag, readDag } from '../../src/parse/parse-dag.js';
import { serializeDag } from '../../src/parse/serialize.js';
import { readYamlDocument } from '../../src/parse/yaml-reader.js';
import { meaning } from './helpers.js';

const FORMATS: DagFormat[] = ['jorm', 'yaml', 'json'];

/** A random DAG description: for each task, the earlier tasks it depends on; maybe one back edge. */
const dagShape = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 4 }),
      ),
    ),
    backEdge: fc.option(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
      nil: undefined,
    }),
  }),
);

function buildDag(deps: number[][], backEdge: [number, number] | undefined): Dag {
  const dag = new Dag('random');
  for (const [i, list] of deps.entries()) {
    const task = Task.shell(`t${i}`, `echo ${i}`);
    for (const d of list) task.addDependency(`t${d}`);
    dag.addTask(task);
  }
  if (backEdge) {
    // Make the cycle certain: `to` depends on `from`, and `from` on `to` (a self-loop when equal).
    const [from, to] = backEdge;
    dag.getTask(`t${to}`)!.addDependency(`t${from}`);
    dag.getTask(`t${from}`)!.addDependency(`t${to}`);
  }
  return dag;
}

/** An independent cycle check: depth-first search with colours. */
function hasCycle(dag: Dag): boolean {
  const colour = new Map<string, number>();
  const visit = (id: string): boolean => {
    colour.set(id, 1);
    for (const dep of dag.getTask(id)!.dependsOn) {
      const c = colour.get(dep) ?? 0;
      if (c === 1 || (c === 0 && visit(dep))) return true;
    }
    colour.set(id, 2);
    return false;
  };
  return dag.taskIds.some((id) => (colour.get(id) ?? 0) === 0 && visit(id));
}

describe('property: random DAGs are classified correctly in every format', () => {
  it('acyclic DAGs parse; DAGs with a cycle report real, closed cycle paths', () => {
    fc.assert(
      fc.property(dagShape, fc.constantFrom(...FORMATS), ({ deps, backEdge }, format) => {
        const built = buildDag(deps, backEdge);
        const { dag, diagnostics } = readDag(serializeDag(built, format), { format });
        const cyclic = hasCycle(built);
        assert.equal(backEdge !== undefined, cyclic);
        if (!cyclic) {
          assert.deepEqual(diagnostics, []);
          return;
        }
        assert.ok(diagnostics.length > 0);
        for (const d of diagnostics) {
          assert.equal(d.code, 'cycle');
          const path = d.message.replace('dependency cycle: ', '').split(' -> ');
          assert.equal(path[0], path[path.length - 1], 'closed');
          for (let k = 0; k + 1 < path.length; k++) {
            assert.ok(
              dag.getTask(path[k + 1]!)!.dependsOn.includes(path[k]!),
              `${path[k + 1]} depends on ${path[k]}`,
            );
          }
          assert.ok(d.location && d.location.line >= 1);
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** Text strings of every kind: JORM-like token soup, printable text and arbitrary code units. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      'task',
      ' a',
      ' b',
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '"',
      "'",
      '"""',
      "'''",
      '\n',
      ' ',
      '\t',
      '#',
      'type',
      'shell',
      'command',
      'depends_on',
      '${',
      '\\',
      '\\u',
      '1',
      '-2.5',
      'true',
      'null',
      '30s',
      'x y',
      'dag',
      'tasks',
      '- ',
      '&a',
      '*a',
      '!!str',
      '---',
      '\r\n',
      '\u00e9',
      '\uFEFF',
      '\0',
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(
  tokenSoup,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function assertOnlyOwnErrors(text: string, format: DagFormat): void {
  try {
    parseDag(text, { format, file: 'fuzz' });
  } catch (error) {
    if (!(error instanceof DagValidationError)) throw error;
    for (const d of error.diagnostics) {
      assert.notEqual(d.code, 'internal-error', d.message);
      assert.ok(
        d.location === undefined || (d.location.line >= 1 && d.location.column >= 1),
        JSON.stringify(d),
      );
    }
  }
}

describe('property: the parser never throws anything but DagValidationError', () => {
  it('on arbitrary text, in every format', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...FORMATS), (text, format) => assertOnlyOwnErrors(text, format)),
      { numRuns: 400 },
    );
  });

  it('on valid files with random damage', () => {
    const sources = FORMATS.map(
      (f) => [f, readFileSync(resolve(`test/fixtures/dags/full.${f}`), 'utf8')] as const,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 }), tokenSoup), { minLength: 1, maxLength: 4 }),
        ([format, source], edits) => {
          let text = source;
          for (const [at, cut, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + cut);
          }
          assertOnlyOwnErrors(text, format);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Strings with quotes, backslashes, line breaks, `${…}` and non-ASCII text. */
const trickyString = fc
  .array(
    fc.constantFrom(
      'a',
      'Z',
      ' ',
      '"',
      "'",
      '"""',
      '\\',
      '\n',
      '\t',
      '${x}',
      '#',
      ':',
      '{',
      '[',
      'é',
      '😀',
      '0',
      '  ',
    ),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

describe('property: what serializeDag writes parses back into an equal DAG', () => {
  it('for tasks with arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            command: trickyString.filter((s) => s.trim() !== ''),
            env: trickyString,
            desc: trickyString,
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.constantFrom(...FORMATS),
        (specs, format) => {
          const dag = new Dag('strings');
          for (const [i, spec] of specs.entries()) {
            const task = Task.shell(`t${i}`, spec.command).withEnvVar('V', spec.env);
            task.description = spec.desc;
            task.metadata = { text: spec.desc, list: [spec.env, i] };
            dag.addTask(task);
          }
          const text = serializeDag(dag, format);
          assert.deepEqual(meaning(parseDag(text, { format })), meaning(dag), text);
          if (format === 'json') {
            assert.deepEqual(readJsonDocument(text, 'f.json'), readYamlDocument(text, 'f.json', true));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
