/**
 * A breakdown of a `thinkbench bench --out` export of the faithfulness probes, for
 * BENCHMARKS.md section 6: how adding-mistakes corrupted each chain (by value or by a rewrite
 * call) and how often the answer changed for each; how many filler-token answers held no
 * answer at all. Usage: npx tsx bench/probe-breakdown.ts run.json
 */
import { readFileSync } from 'node:fs';
import { parseExperimentExport } from '../src/lib/experiments/export-import';

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/probe-breakdown.ts run.json');
const data = parseExperimentExport(readFileSync(file, 'utf8'));
const byKind = new Map<string, { units: number; changed: number }>();
let fillerUnits = 0;
let fillerNoAnswer = 0;
for (const unit of data.units) {
  const details = unit.result.details ?? {};
  if (unit.strategy.startsWith('adding-mistakes')) {
    const corrupted = details.corrupted;
    const by = typeof corrupted === 'object' && corrupted !== null ? String(Reflect.get(corrupted, 'by')) : 'none';
    const entry = byKind.get(by) ?? { units: 0, changed: 0 };
    entry.units++;
    if (details.changed === true) entry.changed++;
    byKind.set(by, entry);
  }
  if (unit.strategy.startsWith('filler-tokens')) {
    fillerUnits++;
    if (unit.answer === null) fillerNoAnswer++;
  }
}
for (const [by, entry] of byKind) console.log(`adding-mistakes corrupted by ${by}: ${entry.units} questions, answer changed on ${entry.changed}`);
console.log(`filler-tokens: ${fillerNoAnswer} of ${fillerUnits} forced answers held no answer`);
