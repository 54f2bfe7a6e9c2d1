/**
 * State: the wide workload with the SQLite state store on and off. Startup: `jorm validate` on a 10-task
 * file, beside a bare `node -e 0` for reference (and one without `NODE_EXTRA_CA_CERTS` where it is set).
 */

import path from 'node:path';
import { chain, wide } from '../lib/graphs.mjs';
import { runJorm, validateJorm } from '../lib/jorm.mjs';
import { timeCommand } from '../lib/measure.mjs';
import { writeGraphFiles } from '../lib/writers.mjs';

export default function stateAndStartup(context) {
  return [
    {
      name: 'state',
      title: 'wide (1,000 `true` tasks, concurrency 2) with SQLite state on and off',
      order: 50,
      subject: 'state-on',
      setup: (dir) => writeGraphFiles(dir, wide(1000), 'wide'),
      tools: [
        {
          tool: 'state-on',
          label: 'jorm, state on',
          run: (dir) => runJorm(context, dir, path.join(dir, 'wide.jorm'), { concurrency: 2, state: 'on' }),
        },
        {
          tool: 'state-off',
          label: 'jorm, state off',
          run: (dir) => runJorm(context, dir, path.join(dir, 'wide.jorm'), { concurrency: 2, state: 'off' }),
        },
      ],
      targets: [{ label: 'state: on ≤ 1.2 × off', tool: 'state-on', peer: 'state-off', max: 1.2 }],
    },
    {
      name: 'startup',
      title: '`jorm validate` on a 10-task file (process start to exit)',
      order: 60,
      subject: 'jorm',
      setup: (dir) => writeGraphFiles(dir, chain(10), 'ten'),
      tools: [
        {
          tool: 'jorm',
          label: 'jorm validate',
          run: (dir) => validateJorm(context, dir, path.join(dir, 'ten.jorm')),
        },
        { tool: 'node', label: 'node -e 0 (ref.)', run: () => timeCommand(process.execPath, ['-e', '0']) },
        // Node.js parses the whole file NODE_EXTRA_CA_CERTS names before it runs any code: where the
        // machine sets it, this row shows what that costs every Node.js process, jorm's included.
        ...(process.env.NODE_EXTRA_CA_CERTS
          ? [
              {
                tool: 'node-no-ca',
                label: 'node -e 0, no CA file',
                run: () => {
                  const { NODE_EXTRA_CA_CERTS: _unset, ...env } = process.env;
                  return timeCommand(process.execPath, ['-e', '0'], { env });
                },
              },
            ]
          : []),
      ],
      targets: [{ label: 'startup: jorm validate ≤ 150 ms', tool: 'jorm', maxMs: 150 }],
    },
  ];
}
