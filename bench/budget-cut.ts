/**
 * Benchmark 3: the answer phase after a thinking-budget cut, two ways, timed alike: both on
 * the engine's token-event clock (`TokenEvent.atMs`, ms since the engine started the request),
 * from the moment the answer phase starts to the last answer token's event.
 *   (a) cut from the cache: one request with `thinking.budgetTokens = B`; the engine appends the
 *       forced text and continues from the KV cache. Answer phase = the forced-text event to the
 *       last token event.
 *   (b) regenerate: a new raw request whose prompt is the rendered chat prompt + the same kept
 *       chain + the forced text, generating the answer from scratch (prefill of everything).
 *       Its answer phase starts with the request, so it is 0 to the last token event — the same
 *       clock as (a), not a wall-clock around the call (which also counted the call's return).
 * Both through `answerPhaseMs` (answer-phase.ts).
 * Greedy, batch 1, B = half of the model's own greedy chain on each problem; (a) and (b) are
 * interleaved per problem. Also checks that both give the same answer text.
 *
 *   npx tsx bench/budget-cut.ts [--model DIR] [--dtype fp32|q8] [--n 30] [--maxNewTokens 128]
 */
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import type { GenerateRequest, TokenEvent } from '../src/lib/generate';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { mean, median } from '../src/lib/stats/descriptive';
import { FORCED_ANSWER_TOKENS } from '../src/lib/strategies/budget';
import { loadNodeEngine } from '../workers/engine/node';
import { answerPhaseMs } from './answer-phase';
import { benchArgs, report, round } from './common';

const args = benchArgs({ n: 30, maxNewTokens: 128 });
const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
const format = reasoningFormat(THINK_TAGS);
// 3–5 steps: chains long enough that half of one is a real cut.
const problems = generateArithmeticProblems({ n: args.numbers.n, seed: 303, minSteps: 3, maxSteps: 5 });
const greedy = { temperature: 0 };

await engine.generate({ prompt: format.prompt(problems[0].question, { thinking: true }), n: 1, maxNewTokens: 16, sampling: greedy });

const rows: { budget: number; cutMs: number; regenerateMs: number; answerTokensCut: number; answerTokensRegenerated: number; same: boolean }[] = [];
for (const problem of problems) {
  const prompt = format.prompt(problem.question, { thinking: true });
  const [full] = await engine.generate({ prompt, n: 1, maxNewTokens: args.numbers.maxNewTokens, sampling: greedy, thinking: format.thinkingControl() });
  const budget = Math.floor(full.thinkingTokens / 2);
  if (budget < 2) continue;

  // (a) cut and continue from the KV cache.
  const cutEvents: TokenEvent[] = [];
  const cutRequest: GenerateRequest = {
    prompt,
    n: 1,
    maxNewTokens: budget + FORCED_ANSWER_TOKENS,
    sampling: greedy,
    thinking: format.thinkingControl(budget),
    onToken: (_row, token) => cutEvents.push(token),
  };
  const [cut] = await engine.generate(cutRequest);
  const cutMs = answerPhaseMs(cutEvents);
  if (!cut.budgetCut || !cutEvents.some((event) => event.phase === 'forced') || cutMs === null) continue;
  const forcedText = cutRequest.thinking?.forcedText ?? '';
  const keptChain = cut.text.slice(0, cut.text.indexOf(forcedText));
  const answerAfterCut = cut.text.slice(keptChain.length + forcedText.length);

  // (b) regenerate the answer from scratch with the kept chain in the prompt.
  const raw = engine.renderPrompt(prompt) + keptChain + forcedText;
  const regeneratedEvents: TokenEvent[] = [];
  const [regenerated] = await engine.generate({
    prompt: { kind: 'raw', text: raw },
    n: 1,
    maxNewTokens: FORCED_ANSWER_TOKENS,
    sampling: greedy,
    onToken: (_row, token) => regeneratedEvents.push(token),
  });
  const regenerateMs = answerPhaseMs(regeneratedEvents);
  if (regenerateMs === null) continue;

  rows.push({
    budget,
    cutMs,
    regenerateMs,
    answerTokensCut: cut.answerTokens,
    answerTokensRegenerated: regenerated.tokens,
    same: regenerated.text === answerAfterCut,
  });
}
await engine.dispose();

const cutMs = rows.map((row) => row.cutMs);
const regenerateMs = rows.map((row) => row.regenerateMs);
const result = {
  problems: problems.length,
  measured: rows.length,
  meanBudgetTokens: round(mean(rows.map((row) => row.budget)), 2),
  meanAnswerTokensCut: round(mean(rows.map((row) => row.answerTokensCut)), 2),
  meanAnswerTokensRegenerated: round(mean(rows.map((row) => row.answerTokensRegenerated)), 2),
  sameAnswerText: rows.filter((row) => row.same).length,
  cutAnswerPhaseMs: { mean: round(mean(cutMs), 2), median: round(median(cutMs), 2), total: round(cutMs.reduce((a, b) => a + b, 0), 1) },
  regenerateAnswerPhaseMs: { mean: round(mean(regenerateMs), 2), median: round(median(regenerateMs), 2), total: round(regenerateMs.reduce((a, b) => a + b, 0), 1) },
  /** > 1 means regenerating takes longer than continuing from the cache. */
  regenerateOverCutRatio: round(regenerateMs.reduce((a, b) => a + b, 0) / cutMs.reduce((a, b) => a + b, 0), 3),
};
process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
report('budget-cut', args, result);
