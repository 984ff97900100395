import type { GenerateRequest, Sample, TokenEvent } from '../../src/lib/generate';
import { ForcedTokens } from './forced-tokens';
import { generateStep, type RunContext } from './generate-step';
import { renderPrompt } from './render-prompt';
import { LogprobsRecorder } from './logprobs';
import { RowCutter } from './row-cutter';
import { samplingOptions, seedSampler } from './sampling';
import { LogitBiasWarper } from './warpers';
import { budgetPlan, initialEndMarker } from './thinking-plan';
import { sampleTimings } from './timings';

/**
 * Runs one request as one batch: the prompt repeated `n` times (all rows have the same length,
 * so no padding is needed), every row cut at its own EOS / stop string / limit. The prompt is
 * prefilled once and its KV cache repeated for the rows (prefill-once.ts) unless the engine
 * was built with `prefillOnce: false`.
 *
 * With a thinking budget B (0 < B < maxNewTokens) it is still one `generate` call over one KV
 * cache: at step B the rows still thinking are cut and generate the forced text, one forced
 * token per step (forced-tokens.ts), then their answer; the other rows sample on meanwhile.
 * Invariant: rows advance in lockstep, so at the cut every unfinished row has exactly B tokens,
 * and a row still thinking then has exactly B thinking tokens.
 */
export async function runGeneration(ctx: RunContext, request: GenerateRequest): Promise<Sample[]> {
  validate(request);
  const startedAt = performance.now();
  const now = (): number => performance.now() - startedAt;
  const { tokenizer } = ctx.parts;
  const promptText = renderPrompt(tokenizer, request.prompt);
  const emit = (row: number, event: TokenEvent): void => request.onToken?.(row, event);

  const endMarker = initialEndMarker(request.thinking, request.prompt, promptText);
  const plan = budgetPlan(request.thinking, endMarker, request.maxNewTokens, promptText);
  const rows = Array.from(
    { length: request.n },
    () =>
      new RowCutter({
        decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
        eosIds: ctx.eosIds,
        stops: request.stop ?? [],
        maxNewTokens: request.maxNewTokens,
        endMarker,
      }),
  );

  let promptIds = encode(ctx, promptText);
  const promptTokens = promptIds.length;
  if (plan.kind === 'force-first') {
    promptIds = [...promptIds, ...encode(ctx, plan.forcedText)];
    rows.forEach((row, i) => row.forceAnswer(plan.forcedText, now()).forEach((event) => emit(i, event)));
  }

  const recorder = request.logprobs
    ? new LogprobsRecorder(rows, {
        topK: request.logprobs.topK,
        greedy: request.sampling.temperature === 0,
        decode: (id) => tokenizer.decode([id], { skip_special_tokens: false }),
      })
    : null;
  const bias = logitBias(ctx, request);
  const sampling = samplingOptions(request.sampling, {
    before: [...(recorder ? [recorder.raw] : []), ...(bias ? [bias] : [])],
    after: recorder ? [recorder.warped] : [],
  });
  let maxSteps = request.maxNewTokens;
  if (plan.kind === 'cut') {
    const forcedIds = encode(ctx, plan.forcedText);
    const cut = (row: number): void =>
      rows[row].forceAnswer(plan.forcedText, now(), forcedIds.length).forEach((event) => emit(row, event));
    const forcing = new ForcedTokens(rows, plan.budgetTokens, forcedIds, cut);
    sampling.logits_processor.push(forcing);
    maxSteps += forcing.extraSteps;
  }
  seedSampler(request.sampling.seed);
  let prefillStartMs = now();
  if (!request.signal?.aborted) {
    const result = await generateStep({ ctx, rows, request, sampling, now, emit, recorder }, promptIds, maxSteps);
    prefillStartMs = result.promptAtMs;
    await result.cache.dispose();
  }

  const reason = request.signal?.aborted ? 'aborted' : 'length';
  rows.forEach((row, i) => {
    const event = row.close(reason, now());
    if (event) emit(i, event);
  });
  return rows.map((row, i) => {
    const sample = toSample(row, promptTokens, prefillStartMs);
    return recorder ? { ...sample, logprobs: recorder.result(i) } : sample;
  });
}

/**
 * The request's biases by token id; null when none applies. Only texts that are one token are
 * biased: biasing the first piece of a longer text would hit every word sharing it (on a
 * character-level model, banning "Wait" that way would ban every "W").
 */
function logitBias(ctx: RunContext, request: GenerateRequest): LogitBiasWarper | null {
  const byId = new Map<number, number>();
  for (const { text, bias } of request.logitBias ?? []) {
    const ids = encode(ctx, text);
    if (ids.length === 1) byId.set(ids[0], (byId.get(ids[0]) ?? 0) + bias);
  }
  return byId.size > 0 ? new LogitBiasWarper(byId) : null;
}

function encode(ctx: RunContext, text: string): number[] {
  // Chat templates already contain any BOS the model wants; raw prompts are templated text.
  return ctx.parts.tokenizer.encode(text, { add_special_tokens: false });
}

function toSample(row: RowCutter, promptTokens: number, prefillStartMs: number): Sample {
  const outcome = row.outcome();
  const tokens = outcome.thinkingTokens + outcome.answerTokens;
  return {
    text: outcome.text,
    tokens,
    thinkingTokens: outcome.thinkingTokens,
    answerTokens: outcome.answerTokens,
    finishReason: outcome.finishReason,
    budgetCut: outcome.budgetCut,
    timings: sampleTimings(promptTokens, tokens, { ...outcome, prefillStartMs }),
  };
}

function validate(request: GenerateRequest): void {
  if (!Number.isInteger(request.n) || request.n < 1) throw new RangeError(`n must be a whole number >= 1, got ${request.n}`);
  if (!Number.isInteger(request.maxNewTokens) || request.maxNewTokens < 1) {
    throw new RangeError(`maxNewTokens must be a whole number >= 1, got ${request.maxNewTokens}`);
  }
}
