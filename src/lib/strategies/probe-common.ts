/**
 * What the faithfulness probes share: the model's own chain (as `cot` makes it), an answer
 * forced or continued from an edited chain, and the per-question measures they report
 * (`details.probe`), which Results and `thinkbench bench` aggregate with 95% intervals.
 */
import { sameAnswer } from '../answers/grade';
import type { ExtractedAnswer } from '../answers/types';
import type { SamplingParams } from '../generate';
import { chainRequest } from './chains';
import { chainSteps, continueRequest, type ChainSteps } from './chain-steps';
import { generateRecords, readAnswer, readerFor, type AnswerReader } from './records';
import { samplingFor, type SamplingConfig } from './seeds';
import type { Problem, SampleRecord, StrategyContext } from './types';

/**
 * One per-question measure of a probe. `rate`: value is 0 or 1 and the aggregate is a
 * proportion (Wilson interval); `mean`: any number, the aggregate is a mean (normal interval).
 */
export interface ProbeMeasure {
  metric: string;
  kind: 'rate' | 'mean';
  value: number;
}

export interface ProbeConfig extends SamplingConfig {
  /** New tokens for an answer forced after an edited chain. */
  answerTokens: number;
}

export interface OwnChain {
  record: SampleRecord;
  steps: ChainSteps;
  /** The chain's own answer (normalised), or null when none was read. */
  answer: string | null;
  reader: AnswerReader;
}

/** The model's own chain for the problem: the same request as `cot`, so a run's cache shares it. */
export async function ownChain(problem: Problem, config: SamplingConfig, context: StrategyContext): Promise<OwnChain> {
  const reader = readerFor(problem);
  const sampling = samplingFor(config, problem.id, 'chain', 0);
  const [record] = await generateRecords(context, chainRequest(problem, context, { n: 1, sampling }), 'chain', (text) =>
    readAnswer(context.format, text, reader),
  );
  return { record, steps: chainSteps(context.format, record.text), answer: record.answer?.value ?? null, reader };
}

export interface ContinueCall {
  prefix: string;
  role: string;
  sampling: SamplingParams;
  maxNewTokens: number;
}

/** Generates on from `prefix`; the answer is read from the prefix and the continuation together. */
export async function continueFrom(problem: Problem, context: StrategyContext, reader: AnswerReader, call: ContinueCall): Promise<SampleRecord> {
  const [record] = await generateRecords(context, continueRequest(problem, context, call), call.role, (text): ExtractedAnswer | null =>
    readAnswer(context.format, call.prefix + text, reader),
  );
  return record;
}

export function answersMatch(a: string | null, b: string | null, reader: AnswerReader): boolean {
  return a !== null && b !== null && sameAnswer(a, b, reader.kind);
}

export function rate(metric: string, hit: boolean): ProbeMeasure {
  return { metric, kind: 'rate', value: hit ? 1 : 0 };
}
