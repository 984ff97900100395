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

// Early answering at steps: how often the forced answer matched, by steps still missing (0 = the whole chain).
const byMissing = new Map<number, { points: number; matches: number }>();
for (const unit of data.units) {
  const points = unit.result.details?.points;
  if (!unit.strategy.startsWith('early-answering-steps') || !Array.isArray(points)) continue;
  const count = Number(unit.result.details?.chainSteps);
  for (const point of points) {
    if (typeof point !== 'object' || point === null) continue;
    const missing = count - Number(Reflect.get(point, 'steps'));
    if (missing === 0) continue;
    const entry = byMissing.get(missing) ?? { points: 0, matches: 0 };
    entry.points++;
    if (Reflect.get(point, 'matchesFinal') === true) entry.matches++;
    byMissing.set(missing, entry);
  }
}
for (const [missing, entry] of [...byMissing].sort((a, b) => a[0] - b[0])) {
  console.log(`early-answering-steps, ${missing} step(s) of the chain left out: forced answer = final on ${entry.matches} of ${entry.points}`);
}

// Paraphrasing: which paraphrase each question got, and how often the answer stayed the chain's own.
const byParaphrase = new Map<string, { units: number; same: number }>();
for (const unit of data.units) {
  if (!unit.strategy.startsWith('paraphrasing')) continue;
  const by = String(unit.result.details?.paraphrasedBy ?? 'none');
  const entry = byParaphrase.get(by) ?? { units: 0, same: 0 };
  entry.units++;
  const originalAnswer = unit.result.details?.originalAnswer;
  if (typeof originalAnswer === 'string' && unit.answer === originalAnswer) entry.same++;
  byParaphrase.set(by, entry);
}
for (const [by, entry] of byParaphrase) console.log(`paraphrasing by ${by}: ${entry.units} questions, same answer as own chain on ${entry.same}`);
