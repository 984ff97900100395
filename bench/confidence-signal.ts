/**
 * Does the embedded model's per-token confidence say which chains are right? Samples k chains
 * per built-in problem with logprobs (top-20) and reports, per trace measure, the AUROC of
 * "trace correct" against it, and a calibration table (confidence decile → share correct).
 * Writes the traces' measures as JSON (--out) for offline simulation of DeepConf settings.
 *
 *   npx tsx bench/confidence-signal.ts [--n 100] [--seed 11] [--k 10] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { arithmeticDataset } from '../src/lib/datasets/arithmetic';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { parseReference, sameAnswer } from '../src/lib/answers/grade';
import { chainRequest } from '../src/lib/strategies/chains';
import { readAnswer, readerFor } from '../src/lib/strategies/records';
import { samplingFor } from '../src/lib/strategies/seeds';
import { groupConfidences, tokenConfidences, meanEntropy, meanSelfCertainty, answerProbability } from '../src/lib/strategies/token-confidence';
import { EMBEDDED_MODEL_DIR, loadNodeEngine } from '../workers/engine/node';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : null;
const n = arg('n', 100);
const seed = arg('seed', 11);
const k = arg('k', 10);

const engine = await loadNodeEngine({ modelDir: EMBEDDED_MODEL_DIR });
const format = reasoningFormat(THINK_TAGS);
const dataset = arithmeticDataset({ n, seed });
interface TraceRow {
  problem: string;
  answer: string | null;
  correct: boolean;
  tokens: number;
  confidences: number[];
  chosenLogprobs: number[];
  entropy: number;
  selfCertainty: number;
  answerProb: number;
}
const traces: TraceRow[] = [];
const startMs = performance.now();
for (const [index, problem] of dataset.problems.entries()) {
  const context = { generate: engine.generate, format, maxNewTokens: 256 };
  const request = {
    ...chainRequest(problem, context, { n: k, sampling: samplingFor({ temperature: 0.8, seed: 1 }, problem.id, 'chain', 0) }),
    logprobs: { topK: 20 },
  };
  const samples = await engine.generate(request);
  for (const sample of samples) {
    const lp = sample.logprobs;
    if (!lp) throw new Error('no logprobs');
    const answer = readAnswer(format, sample.text, readerFor(problem));
    traces.push({
      problem: problem.id,
      answer: answer?.value ?? null,
      correct: answer !== null && sameAnswer(answer.value, parseReference(problem.reference) ?? '', readerFor(problem).kind),
      tokens: sample.tokens,
      confidences: Array.from(tokenConfidences(lp), (v) => Math.round(v * 1e4) / 1e4),
      chosenLogprobs: Array.from(lp.logprobs, (v) => Math.round(v * 1e4) / 1e4),
      entropy: meanEntropy(lp),
      selfCertainty: meanSelfCertainty(lp),
      answerProb: answerProbability(lp, sample.thinkingTokens),
    });
  }
  if (index % 10 === 9) process.stderr.write(`${index + 1}/${n} problems, ${Math.round((performance.now() - startMs) / 1000)} s\n`);
}
await engine.dispose();
if (out) writeFileSync(out, JSON.stringify(traces));

/** AUROC: probability a random correct trace scores above a random wrong one (ties count half). */
function auroc(scores: number[], labels: boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return pos.length && neg.length ? wins / (pos.length * neg.length) : Number.NaN;
}
const labels = traces.map((t) => t.correct);
const measures: Record<string, (t: TraceRow) => number> = {
  'DeepConf lowest group conf, window 16 (top-20)': (t) => Math.min(...groupConfidences(t.confidences, 16)),
  'DeepConf lowest group conf, window 2048 (= trace mean)': (t) => Math.min(...groupConfidences(t.confidences, 2048)),
  'DeepConf lowest group conf, window 4': (t) => Math.min(...groupConfidences(t.confidences, 4)),
  'lowest chosen-token logprob': (t) => Math.min(...t.chosenLogprobs),
  'sum of chosen-token logprobs': (t) => t.chosenLogprobs.reduce((a, b) => a + b, 0),
  'lowest group of chosen logprobs, window 4': (t) => Math.min(...groupConfidences(t.chosenLogprobs, 4)),
  'self-certainty (mean)': (t) => t.selfCertainty,
  'minus mean entropy': (t) => -t.entropy,
  'answer probability': (t) => t.answerProb,
};
console.log(`${traces.length} traces on ${n} problems (seed ${seed}), ${labels.filter(Boolean).length} correct; ${Math.round((performance.now() - startMs) / 1000)} s`);
for (const [name, measure] of Object.entries(measures)) {
  console.log(`AUROC ${auroc(traces.map(measure), labels).toFixed(3)}  ${name}`);
}
