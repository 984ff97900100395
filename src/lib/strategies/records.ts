/**
 * Turning the engine's samples into strategy records: extract each answer, tell the caller
 * as each sample finishes, and add up the totals.
 */
import type { GenerateRequest, Sample } from '../generate';
import type { ReasoningFormat } from '../formats/reasoning-format';
import type { ExtractedAnswer } from '../answers/types';
import type { AnswerKind } from '../answers/extract';
import { inspectFinalAnswer } from '../answers/final-answer';
import { inferAnswerKind } from '../answers/grade';
import type { Problem, SampleRecord, StrategyContext, StrategyResult, StrategyTotals, VoteCount } from './types';

/** How answers to this problem are read. */
export interface AnswerReader {
  kind: AnswerKind;
  choiceCount: number;
  /** The question: the last-number fallback never takes numbers from an echo of it. */
  question: string;
}

export function readerFor(problem: Problem): AnswerReader {
  return { kind: inferAnswerKind(problem.reference, problem.choices), choiceCount: problem.choices?.length || 5, question: problem.question };
}

/**
 * The answer in a generated text, read as `thinkbench grade` reads it (inspectFinalAnswer):
 * a think-tag output from the part after `</think>` first; a prompted output whole, where its
 * answer cue (`Answer:`) is one of the extractor's cues and the last cue wins.
 */
export function readAnswer(format: ReasoningFormat, text: string, reader: AnswerReader): ExtractedAnswer | null {
  const tags = format.spec.kind === 'think-tags' ? format.spec : null;
  return inspectFinalAnswer(text, { kind: reader.kind, choiceCount: reader.choiceCount, question: reader.question }, tags).answer;
}

export function toRecord(sample: Sample, role: string, answer: ExtractedAnswer | null): SampleRecord {
  return { ...sample, role, answer };
}

/**
 * One `Generate` call; each returned sample becomes a record, is reported through
 * `onSample`, and is returned in row order. Refuses to start once the run was aborted.
 */
export async function generateRecords(
  context: StrategyContext,
  request: Omit<GenerateRequest, 'signal'>,
  role: string,
  readRecordAnswer: (text: string) => ExtractedAnswer | null,
): Promise<SampleRecord[]> {
  context.signal?.throwIfAborted();
  const samples = await context.generate({ ...request, ...(context.signal ? { signal: context.signal } : {}) });
  return samples.map((sample) => {
    const record = toRecord(sample, role, readRecordAnswer(sample.text));
    context.onSample?.(record);
    return record;
  });
}

export function totalsOf(samples: readonly SampleRecord[], wallMs: number): StrategyTotals {
  let tokens = 0;
  let thinkingTokens = 0;
  let answerTokens = 0;
  for (const sample of samples) {
    tokens += sample.tokens;
    thinkingTokens += sample.thinkingTokens;
    answerTokens += sample.answerTokens;
  }
  return { samples: samples.length, tokens, thinkingTokens, answerTokens, wallMs };
}

/** A result whose answer is one sample's answer (direct, cot, the prompt methods). */
export function singleAnswerResult(
  decisive: SampleRecord,
  samples: readonly SampleRecord[],
  startedAtMs: number,
  details?: Record<string, unknown>,
): StrategyResult {
  return answerResult(decisive.answer?.value ?? null, samples, startedAtMs, details);
}

/** A result with one answer (one vote, or none when null) and the samples that led to it. */
export function answerResult(
  answer: string | null,
  samples: readonly SampleRecord[],
  startedAtMs: number,
  details?: Record<string, unknown>,
): StrategyResult {
  const votes: VoteCount[] = answer === null ? [] : [{ answer, count: 1, weight: 1 }];
  return {
    answer,
    samples: [...samples],
    votes,
    totals: totalsOf(samples, performance.now() - startedAtMs),
    ...(details ? { details } : {}),
  };
}
