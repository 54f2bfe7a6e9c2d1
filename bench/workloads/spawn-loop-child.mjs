/**
 * Reference: a bare Node.js loop that spawns `/bin/sh -c true` <n> times, <concurrency> at a time, and
 * prints `{ "ms": … }`. What plain `child_process.spawn` per task costs on this machine.
 */

import { spawn } from 'node:child_process';

const [n, concurrency] = process.argv.slice(2).map(Number);
const start = performance.now();
let started = 0;
const one = () =>
  new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', resolve);
  });
const worker = async () => {
  while (started < n) {
    started++;
    await one();
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ ms: performance.now() - start }));
