import type { GenerateRequest, Sample, ThinkingExtension, TokenEvent } from '../../src/lib/generate';
import { ForcedTokens, type CutRule, type ExtendRule } from './forced-tokens';
import { generateStep, type RunContext } from './generate-step';
import { renderPrompt } from './render-prompt';
import { LogprobsRecorder } from './logprobs';
import { RowCutter } from './row-cutter';
import { drawUniform, samplingOptions, seedSampler } from './sampling';
import { LogitBiasWarper } from './warpers';
import { budgetPlan, initialEndMarker, type BudgetPlan } from './thinking-plan';
import { sampleTimings } from './timings';

/**
 * Runs one request as one batch: the prompt repeated `n` times (all rows have the same length,
 * so no padding is needed), every row cut at its own EOS / stop string / limit. The prompt is
 * prefilled once and its KV cache repeated for the rows (prefill-once.ts) unless the engine
 * was built with `prefillOnce: false`.
 *
 * With a thinking budget B (0 < B < maxNewTokens) it is still one `generate` call over one KV
 * cache: a row still thinking when it has B tokens is cut and generates the forced text, one
 * forced token per step (forced-tokens.ts), then its answer; the other rows sample on meanwhile.
 * Invariant: a cut row has exactly B thinking tokens. Without extensions rows advance in
 * lockstep and are all cut at step B; a row's extension text (`thinking.extend`, s1's "Wait")
 * takes steps but no tokens, so that row reaches B later.
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
  const forcing = forcedTokens({ ctx, rows, now, emit }, request, plan, endMarker);
  let maxSteps = request.maxNewTokens;
  if (forcing) {
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

  // Reported wherever an extension could apply: the rows started thinking.
  const extended = request.thinking?.extend !== undefined && endMarker !== null;
  const reason = request.signal?.aborted ? 'aborted' : 'length';
  rows.forEach((row, i) => {
    const event = row.close(reason, now());
    if (event) emit(i, event);
  });
  return rows.map((row, i) => {
    const sample = toSample(row, promptTokens, prefillStartMs, extended);
    return recorder ? { ...sample, logprobs: recorder.result(i) } : sample;
  });
}

/** What the forcing rules act on: the rows, and how their forced text reaches the stream. */
interface ForcingScope {
  ctx: RunContext;
  rows: readonly RowCutter[];
  now: () => number;
  emit: (row: number, event: TokenEvent) => void;
}

/**
 * The logits processor that makes rows generate forced text — at a budget cut (think shorter)
 * and in place of an attempt to end the thinking (think longer); null when neither applies.
 */
function forcedTokens(scope: ForcingScope, request: GenerateRequest, plan: BudgetPlan, endMarker: string | null): ForcedTokens | null {
  const extension = request.thinking?.extend;
  const cut = plan.kind === 'cut' ? cutRule(scope, plan.budgetTokens, plan.forcedText) : undefined;
  const extend = extension && extension.times > 0 && endMarker !== null ? extendRule(scope, request, endMarker, extension) : undefined;
  return cut || extend ? new ForcedTokens(scope.rows, { cut, extend }) : null;
}

function cutRule({ ctx, rows, now, emit }: ForcingScope, budgetTokens: number, forcedText: string): CutRule {
  const forcedIds = encode(ctx, forcedText);
  return {
    budgetTokens,
    forcedIds,
    onCut: (row) => rows[row].forceAnswer(forcedText, now(), forcedIds.length).forEach((event) => emit(row, event)),
  };
}

function extendRule({ ctx, rows, now, emit }: ForcingScope, request: GenerateRequest, endMarker: string, extension: ThinkingExtension): ExtendRule {
  const markerIds = encode(ctx, endMarker);
  if (markerIds.length !== 1) {
    throw new RangeError(
      `extending thinking needs an end marker that is one token of the model's vocabulary; ${JSON.stringify(endMarker)} is ${markerIds.length} tokens`,
    );
  }
  const forcedIds = encode(ctx, extension.text);
  return {
    times: extension.times,
    forcedIds,
    // s1 ends its thinking phase at the end-of-thinking delimiter or at the end of the turn.
    endIds: [markerIds[0], ...ctx.eosIds],
    greedy: request.sampling.temperature === 0,
    draw: drawUniform,
    onExtend: (row) => rows[row].extendThinking(extension.text, now(), forcedIds.length).forEach((event) => emit(row, event)),
  };
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

function toSample(row: RowCutter, promptTokens: number, prefillStartMs: number, extended: boolean): Sample {
  const outcome = row.outcome();
  const tokens = outcome.thinkingTokens + outcome.answerTokens;
  return {
    text: outcome.text,
    tokens,
    thinkingTokens: outcome.thinkingTokens,
    answerTokens: outcome.answerTokens,
    finishReason: outcome.finishReason,
    budgetCut: outcome.budgetCut,
    ...(extended ? { thinkingExtension: { times: outcome.extensions, addedTokens: outcome.thinkingTokensAdded } } : {}),
    timings: sampleTimings(promptTokens, tokens, { ...outcome, prefillStartMs }),
  };
}

function validate(request: GenerateRequest): void {
  if (!Number.isInteger(request.n) || request.n < 1) throw new RangeError(`n must be a whole number >= 1, got ${request.n}`);
  if (!Number.isInteger(request.maxNewTokens) || request.maxNewTokens < 1) {
    throw new RangeError(`maxNewTokens must be a whole number >= 1, got ${request.maxNewTokens}`);
  }
  const extend = request.thinking?.extend;
  if (extend && (!Number.isInteger(extend.times) || extend.times < 0)) {
    throw new RangeError(`thinking.extend.times must be a whole number >= 0, got ${extend.times}`);
  }
}
