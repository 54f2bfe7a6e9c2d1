/**
 * The shell workloads: wide, chain and layered graphs of `true` tasks, run by jorm, GNU make, ninja and
 * doit from the same generated graph. A bare Node.js spawn loop is shown beside them for reference.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chain, layered, wide } from '../lib/graphs.mjs';
import { runJorm } from '../lib/jorm.mjs';
import { runJsonChild, timeCommand } from '../lib/measure.mjs';
import { writeGraphFiles } from '../lib/writers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function peerTools(context, name, concurrency, spawnLoop) {
  const missing = (peer) => (context.peers[peer] ? undefined : `${peer} not installed: run bench/setup.sh`);
  const tools = [
    {
      tool: 'jorm',
      label: `jorm run --concurrency ${concurrency}`,
      run: (dir) => runJorm(context, dir, path.join(dir, `${name}.jorm`), { concurrency }),
    },
    {
      tool: 'make',
      label: `make -j${concurrency}`,
      skip: missing('make'),
      run: (dir) => timeCommand('make', [`-j${concurrency}`, '-s', '-f', 'Makefile'], { cwd: dir }),
    },
    {
      tool: 'ninja',
      label: `ninja -j${concurrency}`,
      skip: missing('ninja'),
      run: (dir) => timeCommand('ninja', [`-j${concurrency}`, '-f', 'build.ninja'], { cwd: dir }),
    },
    {
      tool: 'doit',
      label: `doit -n ${concurrency}`,
      skip: missing('doit'),
      run: (dir) =>
        timeCommand('doit', ['-n', String(concurrency), '-f', 'dodo.py', '--db-file', '.doit.db'], {
          cwd: dir,
        }),
    },
  ];
  if (spawnLoop) {
    tools.push({
      tool: 'node-spawn',
      label: 'node spawn loop (ref.)',
      run: () =>
        runJsonChild(path.join(here, 'spawn-loop-child.mjs'), [String(spawnLoop), String(concurrency)]),
    });
  }
  return tools;
}

const vsPeers = (name, { ninja = true } = {}) => [
  ...(ninja
    ? [{ label: `${name}: jorm ≤ 0.8 × ninja`, tool: 'jorm', peer: 'ninja', max: 0.8, inTermsOf: 'make' }]
    : []),
  { label: `${name}: jorm ≤ 1.5 × make`, tool: 'jorm', peer: 'make', max: 1.5 },
];

export default function shellGraphs(context) {
  const shapes = [
    {
      name: 'wide',
      title: '1,000 independent `true` tasks, concurrency 2',
      graph: wide(1000),
      c: 2,
      loop: 1000,
    },
    { name: 'chain', title: '300 `true` tasks in a line', graph: chain(300), c: 2 },
    {
      name: 'layered',
      title: '1,000 `true` tasks in 10 layers of 100, ≤3 random deps on the layer before, concurrency 2',
      graph: layered(10, 100),
      c: 2,
    },
  ];
  return shapes.map((s, i) => ({
    name: s.name,
    title: s.title,
    order: 10 + i,
    subject: 'jorm',
    setup: (dir) => writeGraphFiles(dir, s.graph, s.name),
    tools: peerTools(context, s.name, s.c, s.loop),
    targets: vsPeers(s.name, { ninja: s.name !== 'chain' }),
  }));
}
