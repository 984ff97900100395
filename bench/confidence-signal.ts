/**
 * Does the embedded model's per-token confidence say which chains are right? Samples k chains
 * per built-in problem with logprobs (top-20) and reports, per trace measure, the AUROC of
 * "trace correct" against it, and for the two trace confidences DeepConf can use (top-20 and
 * chosen-token, window 8 as its default) a calibration table: traces sorted by confidence, cut
 * into ten equal-count bins (deciles), share correct per bin.
 * Writes the traces' measures as JSON (--out); `--in FILE` reads such a file instead of sampling.
 *
 *   npx tsx bench/confidence-signal.ts [--n 100] [--seed 11] [--k 10] [--out FILE | --in FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { arithmeticDataset } from '../src/lib/datasets/arithmetic';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { parseReference, sameAnswer } from '../src/lib/answers/grade';
import { chainRequest } from '../src/lib/strategies/chains';
import { readAnswer, readerFor } from '../src/lib/strategies/records';
import { samplingFor } from '../src/lib/strategies/seeds';
import { groupConfidences, tokenConfidences, meanEntropy, meanSelfCertainty, answerProbability } from '../src/lib/strategies/token-confidence';
import { EMBEDDED_MODEL_DIR, loadNodeEngine } from '../workers/engine/node';
import { auroc } from '../src/lib/stats/auroc';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
function pathArg(name: string): string | null {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : null;
}
const out = pathArg('out');
const input = pathArg('in');
const n = arg('n', 100);
const seed = arg('seed', 11);
const k = arg('k', 10);

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
const startMs = performance.now();
const traces: TraceRow[] = input ? (JSON.parse(readFileSync(input, 'utf8')) as TraceRow[]) : await sampleTraces();
if (out) writeFileSync(out, JSON.stringify(traces));

async function sampleTraces(): Promise<TraceRow[]> {
  const engine = await loadNodeEngine({ modelDir: EMBEDDED_MODEL_DIR });
  const format = reasoningFormat(THINK_TAGS);
  const dataset = arithmeticDataset({ n, seed });
  const traces: TraceRow[] = [];
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
  return traces;
}

const labels = traces.map((t) => t.correct);
const TOP20_DEFAULT = 'DeepConf lowest group conf, window 8 (top-20; deepconf:k=10)';
const CHOSEN_DEFAULT = 'lowest group of chosen logprobs, window 8 (deepconf tokenConfidence=chosen)';
const measures: Record<string, (t: TraceRow) => number> = {
  'DeepConf lowest group conf, window 16 (top-20)': (t) => Math.min(...groupConfidences(t.confidences, 16)),
  'DeepConf lowest group conf, window 2048 (= trace mean)': (t) => Math.min(...groupConfidences(t.confidences, 2048)),
  'DeepConf lowest group conf, window 4': (t) => Math.min(...groupConfidences(t.confidences, 4)),
  [TOP20_DEFAULT]: (t) => Math.min(...groupConfidences(t.confidences, 8)),
  [CHOSEN_DEFAULT]: (t) => Math.min(...groupConfidences(t.chosenLogprobs, 8)),
  'lowest chosen-token logprob': (t) => Math.min(...t.chosenLogprobs),
  'sum of chosen-token logprobs': (t) => t.chosenLogprobs.reduce((a, b) => a + b, 0),
  'lowest group of chosen logprobs, window 4': (t) => Math.min(...groupConfidences(t.chosenLogprobs, 4)),
  'self-certainty (mean)': (t) => t.selfCertainty,
  'minus mean entropy': (t) => -t.entropy,
  'answer probability': (t) => t.answerProb,
};
/** Traces sorted by score (ties kept in trace order), cut into `bins` equal-count bins: score range and share correct. */
function calibration(scores: number[], bins: number) {
  const order = scores.map((score, i) => ({ score, correct: labels[i] })).sort((a, b) => a.score - b.score);
  return Array.from({ length: bins }, (_, b) => {
    const slice = order.slice(Math.round((b * order.length) / bins), Math.round(((b + 1) * order.length) / bins));
    const correct = slice.filter((t) => t.correct).length;
    return { bin: b + 1, from: slice[0].score, to: slice[slice.length - 1].score, traces: slice.length, correct, accuracy: correct / slice.length };
  });
}
const source = input ? `read from ${input}` : `${n} problems (seed ${seed})`;
console.log(`${traces.length} traces, ${source}, ${labels.filter(Boolean).length} correct; ${Math.round((performance.now() - startMs) / 1000)} s`);
for (const [name, measure] of Object.entries(measures)) {
  console.log(`AUROC ${(auroc(traces.map(measure), labels) ?? Number.NaN).toFixed(3)}  ${name}`);
}
for (const name of [TOP20_DEFAULT, CHOSEN_DEFAULT]) {
  console.log(`\ndeciles of ${name} (1 = least confident):`);
  for (const row of calibration(traces.map(measures[name]), 10)) {
    console.log(`  ${row.bin}\t[${row.from.toFixed(4)}, ${row.to.toFixed(4)}]\t${row.correct}/${row.traces}\t${row.accuracy.toFixed(3)}`);
  }
}
console.log(JSON.stringify({ traces: traces.length, correct: labels.filter(Boolean).length, deciles: Object.fromEntries([TOP20_DEFAULT, CHOSEN_DEFAULT].map((name) => [name, calibration(traces.map(measures[name]), 10)])) }));
