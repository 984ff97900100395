/**
 * Replays self-consistency's consensus stop (stopping.ts) offline on traces saved by
 * `bench/confidence-signal.ts --out`, for a few trace-confidence windows and weight
 * sharpenings, so a setting can be picked on pilot traces instead of on the benchmark's problems.
 * Per setting: mean samples used of k, and how often the stopped weighted vote is right vs the
 * plain vote of all k.
 *
 *   npx tsx bench/consensus-replay.ts FILE [--warmup 3] [--consensus 0.95]
 */
import { readFileSync } from 'node:fs';
import { consensusRule } from '../src/lib/strategies/stopping';
import { groupConfidences } from '../src/lib/strategies/token-confidence';
import { majorityVote } from '../src/lib/strategies/vote';

interface Trace {
  problem: string;
  answer: string | null;
  correct: boolean;
  chosenLogprobs: number[];
}
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const traces = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Trace[];
const warmup = flag('warmup', 3);
const consensus = flag('consensus', 0.95);
const byProblem = new Map<string, Trace[]>();
for (const trace of traces) byProblem.set(trace.problem, [...(byProblem.get(trace.problem) ?? []), trace]);
const problems = [...byProblem.values()];
const rightAnswer = (group: Trace[]) => group.find((t) => t.correct)?.answer ?? '\u0000none';

const plainRight = problems.filter((group) => majorityVote(group.map((t) => ({ answer: t.answer }))).answer === rightAnswer(group)).length;
console.log(`${problems.length} problems, ${traces.length} traces; plain vote of all: ${plainRight} right`);
for (const window of [1, 4, 8]) {
  for (const temperature of [1, 0.5, 0.25, 0.1]) {
    const rule = consensusRule(warmup, consensus);
    let samples = 0;
    let right = 0;
    for (const group of problems) {
      const weights = group.map((t) => Math.exp(Math.min(...groupConfidences(t.chosenLogprobs, window)) / temperature));
      const stop = rule.stopAt(group.map((t) => t.answer), weights) ?? group.length;
      samples += stop;
      const vote = majorityVote(group.slice(0, stop).map((t, i) => ({ answer: t.answer, weight: weights[i] })));
      if (vote.answer === rightAnswer(group)) right += 1;
    }
    console.log(JSON.stringify({ window, temperature, meanSamples: samples / problems.length, right, plainRight }));
  }
}
