/**
 * A scripted model for the experiment tests: answers each question with a fixed answer (or, for
 * sampled requests, an answer picked by the row's seed), with fixed timings, and counts every
 * request it really generates — so tests can prove nothing was generated twice.
 */
import type { Generate, GenerateRequest, Sample } from '../../src/lib/generate';
import type { Problem } from '../../src/lib/strategies/types';

export interface ScriptedModel {
  generate: Generate;
  /** Requests that reached the model (not the cache). */
  calls: GenerateRequest[];
}

export interface ScriptOptions {
  /** The answer given to a question; for sampled requests `rowAnswers` may vary it per row. */
  answers: ReadonlyMap<string, string>;
  rowAnswers?: (question: string, row: number, seed: number) => string;
  /** Awaited before each call returns (tests use it to abort mid-call). */
  beforeReturn?: (request: GenerateRequest, index: number) => Promise<void> | void;
  totalMs?: number;
}

export function questionOf(request: GenerateRequest): string {
  if (request.prompt.kind !== 'chat') return request.prompt.text;
  const user = [...request.prompt.messages].reverse().find((message) => message.role === 'user');
  return (user?.content ?? '').split('\n')[0];
}

export function scriptedModel(options: ScriptOptions): ScriptedModel {
  const calls: GenerateRequest[] = [];
  const generate: Generate = async (request) => {
    const index = calls.length;
    calls.push(request);
    const question = questionOf(request);
    const fixed = options.answers.get(question);
    if (fixed === undefined) throw new Error(`no scripted answer for "${question}"`);
    await options.beforeReturn?.(request, index);
    request.signal?.throwIfAborted();
    return Array.from({ length: request.n }, (_, row): Sample => {
      const answer = request.sampling.temperature > 0 && options.rowAnswers ? options.rowAnswers(question, row, request.sampling.seed ?? 0) : fixed;
      const thinking = request.prompt.kind === 'chat' && request.prompt.enableThinking === false ? '' : '<think>\nwork\n</think>';
      const text = `${thinking}\n\nThe answer is ${answer}.`;
      return {
        text,
        tokens: text.length,
        thinkingTokens: thinking.length,
        answerTokens: text.length - thinking.length,
        finishReason: 'eos',
        budgetCut: false,
        timings: { promptTokens: 20, ttftMs: 5, prefillMs: 4, decodeMs: 50, decodeTokensPerS: (text.length - 1) / 0.05, totalMs: options.totalMs ?? 55 },
      };
    });
  };
  return { generate, calls };
}

export const PROBLEMS: Problem[] = [
  { id: 'q0', question: 'What is 10 + 20?', reference: '30' },
  { id: 'q1', question: 'What is 50 - 15?', reference: '35' },
  { id: 'q2', question: 'Sam has 12 coins, gets 30. How many coins now?', reference: '42' },
];

/** q1 is answered wrongly by the scripted model. */
export const ANSWERS = new Map([
  ['What is 10 + 20?', '30'],
  ['What is 50 - 15?', '36'],
  ['Sam has 12 coins, gets 30. How many coins now?', '42'],
]);
