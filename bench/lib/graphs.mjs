/**
 * The benchmark graphs, generated with a fixed seed so every tool and every run gets the same one.
 * A graph is a list of tasks `{ id, deps }` in a topological order.
 */

/** The seed of every random graph of the bench. */
export const SEED = 20_240_601;

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` independent tasks. */
export function wide(n) {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, deps: [] }));
}

/** `n` tasks in a line: each depends on the one before. */
export function chain(n) {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, deps: i === 0 ? [] : [`t${i - 1}`] }));
}

/**
 * `layers × width` tasks; each task after the first layer depends on 1 to `maxDeps` distinct random tasks
 * of the layer before (uniformly many, uniformly chosen).
 */
export function layered(layers, width, maxDeps = 3, seed = SEED) {
  const random = rng(seed);
  const tasks = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const deps = new Set();
      if (l > 0) {
        const count = 1 + Math.floor(random() * maxDeps);
        while (deps.size < Math.min(count, width))
          deps.add(`t${(l - 1) * width + Math.floor(random() * width)}`);
      }
      tasks.push({ id: `t${l * width + i}`, deps: [...deps] });
    }
  }
  return tasks;
}

/** Number of dependency edges. */
export function edgeCount(graph) {
  return graph.reduce((n, t) => n + t.deps.length, 0);
}
