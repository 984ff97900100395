import type { GenerateRequest, Sample, TokenEvent } from '../../src/lib/generate';
import { generateStep, type RunContext, type Step, type StepResult } from './generate-step';
import { continuationInputs } from './continuation';
import { renderPrompt } from './render-prompt';
import { RowCutter } from './row-cutter';
import { samplingOptions, seedSampler } from './sampling';
import { budgetPlan, initialEndMarker } from './thinking-plan';
import { sampleTimings } from './timings';

/**
 * Runs one request as one batch: the prompt repeated `n` times (all rows have the same length,
 * so no padding is needed), every row cut at its own EOS / stop string / limit.
 *
 * With a thinking budget B (0 < B < maxNewTokens) it runs in two phases over one KV cache:
 *   1. every row generates B tokens (or finishes earlier);
 *   2. rows still thinking get the forced text appended; all unfinished rows continue from
 *      the cache (see continuation.ts), so neither the prompt nor the kept thinking is recomputed.
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

  const sampling = samplingOptions(request.sampling);
  seedSampler(request.sampling.seed);
  let prefillStartMs = now();
  if (!request.signal?.aborted) {
    const batch = {
      inputIds: rows.map(() => promptIds.map(BigInt)),
      attentionMask: rows.map(() => promptIds.map(() => 1n)),
    };
    const step = { ctx, rows, request, sampling, now, emit };
    const cut = plan.kind === 'cut' ? plan : null;
    const first = await generateStep(step, batch, cut ? cut.budgetTokens : request.maxNewTokens, null);
    prefillStartMs = first.promptAtMs;
    try {
      if (cut) await continueAfterCut(step, first, batch.attentionMask, cut.forcedText, promptIds.length);
    } finally {
      await first.cache.dispose();
    }
  }

  const reason = request.signal?.aborted ? 'aborted' : 'length';
  rows.forEach((row, i) => {
    const event = row.close(reason, now());
    if (event) emit(i, event);
  });
  return rows.map((row) => toSample(row, promptTokens, prefillStartMs));
}

async function continueAfterCut(
  step: Step,
  first: StepResult,
  promptMask: bigint[][],
  forcedText: string,
  promptLength: number,
): Promise<void> {
  if (step.request.signal?.aborted || step.rows.every((row) => row.done)) return;
  const forcedIds = encode(step.ctx, forcedText);
  const extras = step.rows.map((row, i) => {
    if (!row.thinking) return [];
    row.forceAnswer(forcedText, step.now()).forEach((event) => step.emit(i, event));
    return forcedIds;
  });
  const sequences: bigint[][] = first.sequences.tolist();
  const generated = sequences[0].length - promptLength;
  const mask = promptMask.map((row) => [...row, ...Array<bigint>(generated).fill(1n)]);
  const next = continuationInputs(sequences, mask, extras, step.ctx.padId);
  const remaining = step.request.maxNewTokens - generated;
  const second = await generateStep(step, { inputIds: next.inputIds, attentionMask: next.attentionMask }, remaining, first.cache);
  // The library updates a cache passed in place; dispose the result only if it is a new object.
  if (second.cache !== first.cache) await second.cache.dispose();
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
