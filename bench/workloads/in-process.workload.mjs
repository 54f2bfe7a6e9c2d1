/**
 * In-process: 100,000 no-op tasks of a custom executor in the layered shape (10 layers of 10,000), through
 * jorm's library API and through p-graph, concurrency 8. Each run is its own process: wall time and peak RSS.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from '../lib/measure.mjs';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'in-process-child.mjs');
const args = (tool) => [tool, '10', '10000', '8'];
/** One run in its own process: wall time and peak RSS. */
const measure = (tool) => async () => {
  const r = await runJsonChild(child, args(tool));
  return { ms: r.ms, rssKb: r.maxRssKb };
};

export default function inProcess() {
  return [
    {
      name: 'in-process',
      title: '100,000 no-op custom tasks, 10 layers of 10,000, ≤3 deps each, concurrency 8 (library API)',
      order: 40,
      subject: 'jorm',
      tools: [
        { tool: 'jorm', label: 'jorm NativeExecutor', run: measure('jorm') },
        { tool: 'p-graph', label: 'p-graph 2', run: measure('p-graph') },
      ],
      targets: [
        { label: 'in-process: jorm time ≤ 0.5 × p-graph', tool: 'jorm', peer: 'p-graph', max: 0.5 },
        {
          label: 'in-process: jorm peak RSS ≤ p-graph',
          tool: 'jorm',
          peer: 'p-graph',
          max: 1,
          metric: 'rssKb',
        },
      ],
    },
  ];
}
