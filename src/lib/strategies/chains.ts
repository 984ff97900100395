/**
 * Building blocks shared by the chain-of-thought strategies: the question as shown to the
 * model, one chain-generating call, and a record's visible text for multi-turn prompts.
 */
import type { ChatMessage, GenerateRequest, SamplingParams } from '../generate';
import type { PromptOptions, ReasoningFormat } from '../formats/reasoning-format';
import { FORCED_ANSWER_TOKENS } from './budget';
import type { Problem, StrategyContext } from './types';

/** The question, with lettered choices appended when the problem has them. */
export function questionText(problem: Problem): string {
  if (!problem.choices || problem.choices.length === 0) return problem.question;
  const letters = problem.choices.map((choice, i) => `(${String.fromCharCode(65 + i)}) ${choice}`);
  return `${problem.question}\n${letters.join('\n')}`;
}

export interface ChainOptions extends Omit<PromptOptions, 'thinking'> {
  n: number;
  sampling: SamplingParams;
  /** Cut thinking after this many tokens and force the answer; undefined = no budget. */
  budgetTokens?: number;
  /** New tokens for the answer after a cut (default FORCED_ANSWER_TOKENS). */
  answerTokens?: number;
  /** The question to ask; default the problem's. */
  question?: string;
}

/**
 * A request for `n` chains of thought. The format's thinking control is always passed so the
 * engine reports thinking and answer tokens apart; with a budget, `maxNewTokens` is the budget
 * plus room for the forced answer, so a budgeted chain can never think past its budget.
 */
export function chainRequest(
  problem: Problem,
  context: StrategyContext,
  options: ChainOptions,
): Omit<GenerateRequest, 'signal'> {
  const { n, sampling, budgetTokens, answerTokens, question, ...promptOptions } = options;
  const maxNewTokens =
    budgetTokens === undefined ? context.maxNewTokens : budgetTokens + (answerTokens ?? FORCED_ANSWER_TOKENS);
  return {
    prompt: context.format.prompt(question ?? questionText(problem), { ...promptOptions, thinking: true }),
    n,
    maxNewTokens,
    sampling,
    thinking: context.format.thinkingControl(budgetTokens),
  };
}

/**
 * What an assistant turn "said", for putting a sample back into a conversation: the chain and
 * the answer as plain text (chat templates of think-tag models drop `<think>` blocks from
 * earlier turns, which would hide the reasoning a later turn must check).
 */
export function visibleText(format: ReasoningFormat, text: string): string {
  const { thinking, answer } = format.split(text);
  return [thinking, answer].filter((part) => part.length > 0).join('\n\n');
}

export function turn(role: ChatMessage['role'], content: string): ChatMessage {
  return { role, content };
}
