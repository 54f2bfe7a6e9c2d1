import { Dag, Task, readDag, serializeDag } from '/work/main/dist/index.js';
import { createRequire } from 'node:module';
const yaml = createRequire('/work/main/package.json')('yaml');
const dag = new Dag('bench');
for (let i = 0; i < 10000; i++) { const t = Task.shell(`task_${i}`, `echo "task ${i}" && test -n "$STAGE"`).withTimeout('30s'); t.environment = { INDEX: String(i) }; if (i) t.addDependency(`task_${i-1}`); dag.addTask(t); }
const text = serializeDag(dag, 'yaml');
for (let r = 0; r < 3; r++) {
  let s = performance.now(); const lc = new yaml.LineCounter(); const doc = yaml.parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false }); const a = performance.now() - s;
  s = performance.now(); new yaml.Parser().parse(text); let n=0; for (const t of new yaml.Parser().parse(text)) n++; const p = performance.now() - s;
  s = performance.now(); const rd = readDag(text, { format: 'yaml', file: 'x.yaml' }); const b = performance.now() - s;
  console.log('parseDocument', a.toFixed(0), 'cst x2', p.toFixed(0), 'readDag', b.toFixed(0), rd.diagnostics.length);
}
console.log(text.slice(0, 300));
