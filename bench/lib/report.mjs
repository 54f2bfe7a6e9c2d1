/**
 * Printing the bench's results: one table per workload (median per tool, ratio of jorm to each peer)
 * and the targets with pass or miss.
 */

const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);

/** Formats ms for the table. */
export function ms(value) {
  if (!Number.isFinite(value)) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

/** Formats KiB as MB. */
export function mb(kib) {
  return Number.isFinite(kib) ? `${Math.round((kib * 1024) / 1e6)} MB` : '-';
}

/**
 * Prints one workload's table: tool, median, the machine's CPU time during a run (median; every process
 * on every core, when measured), peak RSS (when measured), runs, jorm ÷ tool.
 */
export function printWorkload(out, workload, rows) {
  out.write(`\n${workload.name}: ${workload.title}\n`);
  const subject = rows.find((r) => r.tool === workload.subject);
  const hasRss = rows.some((r) => Number.isFinite(r.rssKb));
  const hasCpu = rows.some((r) => Number.isFinite(r.cpuMs));
  out.write(
    `  ${pad('tool', 22)}${padL('median', 10)}${hasCpu ? padL('cpu', 10) : ''}${hasRss ? padL('peak RSS', 10) : ''}${padL('runs', 6)}  ${workload.subject} ÷ tool\n`,
  );
  for (const row of rows) {
    if (row.skipped) {
      out.write(`  ${pad(row.label, 22)}${padL('skipped', 10)}  (${row.skipped})\n`);
      continue;
    }
    const ratio =
      subject && row !== subject && !subject.skipped ? `${(subject.ms / row.ms).toFixed(2)}×` : '';
    const rss = hasRss ? padL(mb(row.rssKb), 10) : '';
    const cpu = hasCpu ? padL(ms(row.cpuMs), 10) : '';
    out.write(`  ${pad(row.label, 22)}${padL(ms(row.ms), 10)}${cpu}${rss}${padL(row.runs, 6)}  ${ratio}\n`);
  }
}

/**
 * Evaluates targets: `{ label, tool, peer, max, metric, inTermsOf }` (ratio tool ÷ peer ≤ max on `ms` or
 * `rssKb`; with `inTermsOf`, another tool, the detail also says what the limit is in that tool's time,
 * since the peer's own speed varies from machine to machine) or `{ label, tool, maxMs }` (absolute).
 * Returns `{ label, status: 'pass'|'miss'|'n/a', detail }`.
 */
export function evaluateTargets(targets, rowsByTool) {
  return targets.map((t) => {
    const subject = rowsByTool.get(t.tool);
    if (!subject || subject.skipped)
      return { label: t.label, status: 'n/a', detail: `${t.tool} not measured` };
    if (t.maxMs !== undefined) {
      const ok = subject.ms <= t.maxMs;
      return {
        label: t.label,
        status: ok ? 'pass' : 'miss',
        detail: `${ms(subject.ms)} (limit ${ms(t.maxMs)})`,
      };
    }
    const peer = rowsByTool.get(t.peer);
    if (!peer || peer.skipped) return { label: t.label, status: 'n/a', detail: `${t.peer} not measured` };
    const metric = t.metric ?? 'ms';
    const ratio = subject[metric] / peer[metric];
    const ok = ratio <= t.max;
    const by = ok ? '' : `, ${((ratio / t.max - 1) * 100).toFixed(0)}% over`;
    const other = t.inTermsOf ? rowsByTool.get(t.inTermsOf) : undefined;
    const peerToOther = other && !other.skipped ? peer[metric] / other[metric] : Number.NaN;
    const inTerms = Number.isFinite(peerToOther)
      ? `; ${t.peer} is ${peerToOther.toFixed(2)}× ${t.inTermsOf} here, so the limit is ` +
        `${(t.max * peerToOther).toFixed(2)}× ${t.inTermsOf}`
      : '';
    return {
      label: t.label,
      status: ok ? 'pass' : 'miss',
      detail: `${ratio.toFixed(2)}× (limit ${t.max}×${by}${inTerms})`,
    };
  });
}

/** Prints the targets of all workloads. */
export function printTargets(out, results) {
  out.write('\ntargets\n');
  for (const r of results) {
    const mark = r.status === 'pass' ? 'PASS' : r.status === 'miss' ? 'MISS' : 'n/a ';
    out.write(`  ${mark}  ${pad(r.label, 44)} ${r.detail}\n`);
  }
}
