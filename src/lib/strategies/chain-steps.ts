/**
 * A generated chain as steps, and chains handed back to the model: the faithfulness probes of
 * Lanham et al. (2023) cut a chain after step j, corrupt or paraphrase a step, or replace it
 * with filler, then let the model go on from there. Steps are the chain's non-empty lines (the
 * embedded model writes one operation per line; instruct models one sentence or so per line);
 * a chain written as one line is split into sentences instead, as the paper does.
 */
import type { GenerateRequest, SamplingParams } from '../generate';
import type { ReasoningFormat } from '../formats/reasoning-format';
import { questionText } from './chains';
import type { Problem, StrategyContext } from './types';

export interface ChainSteps {
  /** What comes before the first step in the generated text (`<think>\n`, or nothing). */
  head: string;
  /** The steps in order, each without its line break. */
  steps: string[];
}

const SENTENCE_END = /(?<=[.!?])\s+(?=\S)/;

/** The chain part of a generated text (up to the format's end marker) split into steps. */
export function chainSteps(format: ReasoningFormat, text: string): ChainSteps {
  const marker = format.thinkingControl().endMarker;
  const end = format.spec.kind === 'think-tags' ? text.indexOf(marker) : text.lastIndexOf(marker);
  const chain = end < 0 ? text : text.slice(0, end);
  const open = format.spec.kind === 'think-tags' ? format.spec.open : '';
  const leading = chain.match(/^\s*/)?.[0] ?? '';
  let head = leading;
  let body = chain.slice(leading.length);
  if (open && body.startsWith(open)) {
    const afterOpen = body.slice(open.length);
    const gap = afterOpen.match(/^\s*/)?.[0] ?? '';
    head = `${leading}${open}${gap}`;
    body = afterOpen.slice(gap.length);
  }
  let steps = body.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  if (steps.length === 1) steps = steps[0].split(SENTENCE_END);
  return { head: head.length > 0 ? head : defaultHead(format), steps };
}

/** What a chain starts with when the model wrote none: the open tag and a line break for think-tag models. */
export function defaultHead(format: ReasoningFormat): string {
  return format.spec.kind === 'think-tags' ? `${format.spec.open}\n` : '';
}

/** The chain's first `count` steps as the model would have written them, ending in a line break. */
export function chainPrefix(chain: ChainSteps, count: number): string {
  const kept = chain.steps.slice(0, count);
  return chain.head + kept.map((step) => `${step}\n`).join('');
}

/**
 * The text that closes a chain and asks for the answer, as the budget cut writes it: the
 * format's forced text (`\n</think>\n\n`, `\nAnswer:`) after the chain without its last line break.
 */
export function closeChain(format: ReasoningFormat, prefix: string): string {
  return prefix.replace(/\n$/, '') + (format.thinkingControl().forcedText ?? '');
}

export interface ContinueOptions {
  /** What the assistant has already written; generation continues from it. */
  prefix: string;
  sampling: SamplingParams;
  maxNewTokens: number;
}

/**
 * A request that continues the problem's chain from `prefix` (the thinking prompt, with the
 * prefix as the start of the reply). The thinking control is passed so the engine counts the
 * rest of the chain as thinking and the answer apart; a prefix that already closed the chain
 * starts in the answer.
 */
export function continueRequest(
  problem: Problem,
  context: StrategyContext,
  options: ContinueOptions,
): Omit<GenerateRequest, 'signal'> {
  const prompt = context.format.prompt(questionText(problem), { thinking: true });
  if (prompt.kind !== 'chat') throw new Error('continuing a chain needs a chat prompt');
  return {
    prompt: { ...prompt, assistantPrefix: options.prefix },
    n: 1,
    maxNewTokens: options.maxNewTokens,
    sampling: options.sampling,
    thinking: context.format.thinkingControl(),
  };
}
