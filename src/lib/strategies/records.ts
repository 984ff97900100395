/**
 * Turning the engine's samples into strategy records: extract each answer, tell the caller
 * as each sample finishes, and add up the totals.
 */
import type { GenerateRequest, Sample } from '../generate';
import type { ReasoningFormat } from '../formats/reasoning-format';
import type { ExtractedAnswer } from '../answers/types';
import { extractAnswer, type AnswerKind } from '../answers/extract';
import { inferAnswerKind } from '../answers/grade';
import type { Problem, SampleRecord, StrategyContext, StrategyResult, StrategyTotals, VoteCount } from './types';

/** How answers to this problem are read. */
export interface AnswerReader {
  kind: AnswerKind;
  choiceCount: number;
}

export function readerFor(problem: Problem): AnswerReader {
  return { kind: inferAnswerKind(problem.reference, problem.choices), choiceCount: problem.choices?.length || 5 };
}

/**
 * The answer in a generated text: first from the part after the chain (`</think>` or the
 * answer cue), and only when that holds none, from the whole text (flagged if by fallback).
 */
export function readAnswer(format: ReasoningFormat, text: string, reader: AnswerReader): ExtractedAnswer | null {
  const { answer } = format.split(text);
  const options = { kind: reader.kind, choiceCount: reader.choiceCount };
  return (answer ? extractAnswer(answer, options) : null) ?? extractAnswer(text, options);
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
  const answer = decisive.answer?.value ?? null;
  const votes: VoteCount[] = answer === null ? [] : [{ answer, count: 1, weight: 1 }];
  return {
    answer,
    samples: [...samples],
    votes,
    totals: totalsOf(samples, performance.now() - startedAtMs),
    ...(details ? { details } : {}),
  };
}
