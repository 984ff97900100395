/**
 * Evaluates the embedded model through the project's own engine (Transformers.js on
 * onnxruntime-node) and strategies, and writes the measurement table into its model card.
 *
 *   npx tsx tools/tinythink/evaluate.ts [--dtype fp32,q8] [--limit 500] [--sc-limit 500] [--ood-limit 200]
 *
 * Per held-out problem: the early-answering probe (a greedy chain, then answers forced after
 * 0/25/50/75% of its thinking tokens), a direct answer (thinking off), and self-consistency
 * (chains sampled as eval-sampling.json says; its first chain is the single-sample baseline). OOD problems get the
 * greedy chain only. Outcomes are cached per problem under tools/tinythink/runs/eval/, keyed
 * by the model file's hash and SAMPLING_SCHEME, so an interrupted run resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNodeEngine } from '../../workers/engine/node';
import type { Dtype } from '../../workers/engine/engine';
import { reasoningFormat, THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { strategies } from '../../src/lib/strategies/registry';
import type { Problem, StrategyContext, StrategyResult } from '../../src/lib/strategies/types';
import { sameAnswer } from '../../src/lib/answers/grade';
import { readSplit, type SplitProblem } from './eval-problems';
import { bars, renderStepsTable, renderTable, summarize, withInterval, type ProblemOutcome } from './eval-summary';
import { EVAL_SAMPLING, samplerText, scConfigOverrides } from './eval-sampling';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const MODEL_DIR = join(REPO, 'public/models/thinkbench/tinythink');
const MAX_NEW_TOKENS = 160;
/**
 * Part of the outcome cache's key beside the weights' hash: bump it whenever the strategies'
 * sampling changes (how seeds are derived, the sampler), or sampled outcomes cached under the old
 * scheme would be reused. 2: seeds depend on the problem (src/lib/strategies/seeds.ts).
 * 3: top-k from eval-sampling.json (until then the full vocabulary was sampled).
 */
const SAMPLING_SCHEME = 3;

const { values: args } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'fp32,q8' },
    limit: { type: 'string', default: '500' },
    'sc-limit': { type: 'string', default: '500' },
    'ood-limit': { type: 'string', default: '200' },
    'model-dir': { type: 'string', default: MODEL_DIR },
    'no-card': { type: 'boolean', default: false },
  },
});

function correct(result: StrategyResult, problem: Problem): boolean {
  return result.answer !== null && sameAnswer(result.answer, problem.reference, 'number');
}

function sampleCorrect(answer: string | null | undefined, problem: Problem): boolean {
  return answer !== null && answer !== undefined && sameAnswer(answer, problem.reference, 'number');
}

async function evaluateTest(problem: SplitProblem, context: StrategyContext, withSc: boolean): Promise<ProblemOutcome> {
  const probe = await strategies['early-answering'].run(problem, strategies['early-answering'].defaults, context);
  const points = (probe.details?.points ?? []) as { fraction: number; answer: string | null }[];
  const probes = Object.fromEntries(
    points.filter((p) => p.fraction < 1).map((p) => [String(Math.round(p.fraction * 100)), sampleCorrect(p.answer, problem)]),
  );
  const direct = await strategies.direct.run(problem, strategies.direct.defaults, context);
  const outcome: ProblemOutcome = {
    id: problem.id,
    split: 'test',
    steps: problem.steps,
    cot: correct(probe, problem),
    chainTokens: Number(probe.details?.chainTokens ?? 0),
    probes,
    direct: correct(direct, problem),
  };
  if (withSc) {
    const config = { ...strategies['self-consistency'].defaults, ...scConfigOverrides() };
    const sc = await strategies['self-consistency'].run(problem, config, context);
    const chains = sc.samples.filter((s) => s.role === 'chain');
    outcome.scSingle = sampleCorrect(chains[0]?.answer?.value, problem);
    outcome.scSampleShare = chains.filter((s) => sampleCorrect(s.answer?.value, problem)).length / Math.max(1, chains.length);
    outcome.scVote = correct(sc, problem);
  }
  return outcome;
}

async function evaluateOod(problem: SplitProblem, context: StrategyContext): Promise<ProblemOutcome> {
  const cot = await strategies.cot.run(problem, strategies.cot.defaults, context);
  const chain = cot.samples[0];
  return { id: problem.id, split: 'ood', steps: problem.steps, cot: correct(cot, problem), chainTokens: chain?.thinkingTokens ?? 0 };
}

function readCache(path: string): Map<string, ProblemOutcome> {
  const cache = new Map<string, ProblemOutcome>();
  if (!existsSync(path)) return cache;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const outcome = JSON.parse(line) as ProblemOutcome;
    cache.set(outcome.id, outcome);
  }
  return cache;
}

function modelHash(modelDir: string, dtype: Dtype): string {
  const file = join(modelDir, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

async function evaluateDtype(dtype: Dtype, modelDir: string): Promise<ProblemOutcome[]> {
  const limit = Number(args.limit);
  const scLimit = Number(args['sc-limit']);
  const test = readSplit(join(HERE, 'splits/test.jsonl'), 'test').slice(0, limit);
  const ood = readSplit(join(HERE, 'splits/ood.jsonl'), 'ood').slice(0, Number(args['ood-limit']));
  const cacheDir = join(HERE, 'runs/eval');
  mkdirSync(cacheDir, { recursive: true });
  const cachePath = join(cacheDir, `${dtype}-${modelHash(modelDir, dtype)}-sampling${SAMPLING_SCHEME}.jsonl`);
  const cache = readCache(cachePath);
  const engine = await loadNodeEngine({ modelDir, dtype });
  const context: StrategyContext = { generate: engine.generate, format: reasoningFormat(THINK_TAGS), maxNewTokens: MAX_NEW_TOKENS };
  const outcomes: ProblemOutcome[] = [];
  const startedMs = Date.now();
  const all = [...test.map((p, i) => ({ p, sc: i < scLimit, ood: false })), ...ood.map((p) => ({ p, sc: false, ood: true }))];
  try {
    for (const [i, item] of all.entries()) {
      let outcome = cache.get(item.p.id);
      if (!outcome || (item.sc && outcome.scVote === undefined)) {
        outcome = item.ood ? await evaluateOod(item.p, context) : await evaluateTest(item.p, context, item.sc);
        appendFileSync(cachePath, JSON.stringify(outcome) + '\n');
      }
      outcomes.push(outcome);
      if ((i + 1) % 25 === 0 || i + 1 === all.length) {
        const so = summarize(outcomes);
        console.error(
          `[${dtype}] ${i + 1}/${all.length} ${((Date.now() - startedMs) / 1000).toFixed(0)}s ` +
            `on ${withInterval(so.thinkingOn)} off≥4 ${withInterval(so.thinkingOffLong)} sc ${withInterval(so.scVote)}`,
        );
      }
    }
  } finally {
    await engine.dispose();
  }
  return outcomes;
}

/** The command as run, with the limits it was given, for the card. */
function commandLine(): string {
  const given = process.argv.slice(2).filter((arg) => arg !== '--no-card');
  return ['npx tsx tools/tinythink/evaluate.ts', ...given].join(' ');
}

function writeCard(modelDir: string, results: { dtype: Dtype; outcomes: ProblemOutcome[] }[]): void {
  const summaries = results.map((r) => ({ dtype: r.dtype, summary: summarize(r.outcomes) }));
  const barLines = summaries.flatMap(({ dtype, summary }) =>
    bars(summary).map((b) => `- ${dtype}: ${b.label}: **${b.value}** — ${b.pass ? 'met' : 'NOT met'}`),
  );
  const first = summaries[0]?.summary;
  const section = [
    `Measured through Transformers.js (onnxruntime-node, device cpu) with thinkbench's engine and strategies by`,
    `\`${commandLine()}\`; 95% intervals: Wilson for accuracies, paired bootstrap`,
    `(2,000 resamples) for differences. Held-out problems: ${first?.thinkingOn.n ?? 0} (${first?.testNumbers ?? '?'} numbers); self-consistency on`,
    `${first?.scVote.n ?? 0} of them; OOD: ${first?.ood.n ?? 0} problems. Greedy unless a temperature is given; max ${MAX_NEW_TOKENS} new tokens.`,
    `Self-consistency: ${EVAL_SAMPLING.scSamples} chains sampled at ${samplerText()} (tools/tinythink/eval-sampling.json),`,
    'majority vote; "one chain" is the first of those chains. Budget rows: the greedy chain cut after that share of its',
    'thinking tokens, `\\n</think>\\n\\n` appended, answer continued (the early-answering probe); the "full chain"',
    'row is the same greedy chain left uncut (nothing forced), i.e. the thinking-on accuracy of those problems.',
    '',
    renderTable(summaries),
    '',
    'By problem length (steps = numbers − 1), greedy, thinking on / off:',
    '',
    renderStepsTable(summaries),
    '',
    'The bars of issue 2:',
    '',
    ...barLines,
  ].join('\n');
  const cardPath = join(modelDir, 'README.md');
  const card = readFileSync(cardPath, 'utf8');
  const start = card.indexOf('<!-- eval:start -->');
  const end = card.indexOf('<!-- eval:end -->');
  if (start < 0 || end < 0) throw new Error(`${cardPath} has no eval markers`);
  writeFileSync(cardPath, card.slice(0, start) + '<!-- eval:start -->\n' + section + '\n' + card.slice(end));
  writeFileSync(join(HERE, 'eval-results.json'), JSON.stringify(summaries, null, 1) + '\n');
  console.log(section);
}

async function main(): Promise<void> {
  const modelDir = resolve(args['model-dir']);
  const dtypes = args.dtype.split(',').map((d) => d.trim()) as Dtype[];
  const results: { dtype: Dtype; outcomes: ProblemOutcome[] }[] = [];
  for (const dtype of dtypes) results.push({ dtype, outcomes: await evaluateDtype(dtype, modelDir) });
  if (!args['no-card']) writeCard(modelDir, results);
}

await main();
