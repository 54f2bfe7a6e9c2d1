import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

interface Row {
  tool: string;
  ms: number;
  skipped?: string;
}
interface Evaluated {
  label: string;
  status: 'pass' | 'miss' | 'n/a';
  detail: string;
}
type Evaluate = (targets: object[], rows: Map<string, Row>) => Evaluated[];
type Print = (out: { write(text: string): void }, workload: object, rows: object[]) => void;

// build/test/bench → the repository's bench/lib/report.mjs (plain JavaScript, not compiled)
const { evaluateTargets, printWorkload } = (await import(
  new URL('../../../bench/lib/report.mjs', import.meta.url).href
)) as { evaluateTargets: Evaluate; printWorkload: Print };

const rows = (times: Record<string, number>): Map<string, Row> =>
  new Map(Object.entries(times).map(([tool, ms]) => [tool, { tool, ms }]));

describe('npm run bench: its targets', () => {
  it('says by how much a ratio target is missed, and what its limit is in terms of another tool', () => {
    const target = {
      label: 'wide: jorm ≤ 0.8 × ninja',
      tool: 'jorm',
      peer: 'ninja',
      max: 0.8,
      inTermsOf: 'make',
    };
    const [missed] = evaluateTargets([target], rows({ jorm: 1900, ninja: 2000, make: 1600 }));
    assert.deepEqual(missed, {
      label: 'wide: jorm ≤ 0.8 × ninja',
      status: 'miss',
      detail: '0.95× (limit 0.8×, 19% over; ninja is 1.25× make here, so the limit is 1.00× make)',
    });
    const [met] = evaluateTargets([target], rows({ jorm: 1500, ninja: 2000 }));
    assert.deepEqual(met?.status, 'pass');
    assert.equal(met?.detail, '0.75× (limit 0.8×)', 'without make, no limit in its terms');
  });

  it('checks absolute limits, and names a tool that was not measured', () => {
    const [startup, absent] = evaluateTargets(
      [
        { label: 'startup', tool: 'jorm', maxMs: 150 },
        { label: 'vs doit', tool: 'jorm', peer: 'doit', max: 1 },
      ],
      rows({ jorm: 139 }),
    );
    assert.deepEqual(startup, { label: 'startup', status: 'pass', detail: '139 ms (limit 150 ms)' });
    assert.deepEqual(absent, { label: 'vs doit', status: 'n/a', detail: 'doit not measured' });
  });

  it("prints each tool's median, the machine's CPU time where measured, and the ratios", () => {
    let text = '';
    const out = {
      write: (t: string) => {
        text += t;
      },
    };
    const workload = { name: 'wide', title: '1,000 `true`', subject: 'jorm' };
    printWorkload(out, workload, [
      { tool: 'jorm', label: 'jorm run', ms: 1910, cpuMs: 3400, runs: 5 },
      { tool: 'make', label: 'make -j2', ms: 1650, cpuMs: 3050, runs: 5 },
      { tool: 'loop', label: 'node spawn loop', ms: 4980, runs: 5 },
    ]);
    const lines = text.split('\n');
    assert.match(lines[2] ?? '', /tool +median +cpu +runs +jorm ÷ tool/);
    assert.match(lines[3] ?? '', /jorm run +1\.91 s +3\.40 s +5 *$/);
    assert.match(lines[4] ?? '', /make -j2 +1\.65 s +3\.05 s +5 +1\.16×/);
    assert.match(lines[5] ?? '', /node spawn loop +4\.98 s +- +5 +0\.38×/, 'a row without CPU shows a dash');
  });
});
