import type { ChatMessage, Prompt, ThinkingControl } from '../generate';
import { splitThinking } from '../answers/final-answer';

/**
 * How a model reasons, as data: lives in the model catalog, crosses to the worker, and is
 * consumed by strategies through `reasoningFormat()` — never by `if (model === …)` branches.
 *
 * - `think-tags`: the model writes its chain inside `<think>…</think>` and the chat template
 *   switches thinking on/off (Qwen3, DeepSeek-R1 distills, the embedded model).
 * - `prompted`: a plain instruct model asked to think step by step and then write the answer
 *   after a cue such as `Answer:` (Qwen2.5-Instruct, SmolLM2, Llama-3.2).
 */
export type ReasoningFormatSpec =
  | {
      kind: 'think-tags';
      open: string;
      close: string;
      /** Appended after a budget cut so the model answers from what it has thought so far. */
      forcedAnswer: string;
      /** Whether the chat template takes `enable_thinking`; if not, thinking cannot be switched off. */
      templateSwitch: boolean;
    }
  | {
      kind: 'prompted';
      thinkInstruction: string;
      directInstruction: string;
      answerCue: string;
    };

export const THINK_TAGS: ReasoningFormatSpec = {
  kind: 'think-tags',
  open: '<think>',
  close: '</think>',
  forcedAnswer: '\n</think>\n\n',
  templateSwitch: true,
};

export const PROMPTED: ReasoningFormatSpec = {
  kind: 'prompted',
  thinkInstruction:
    "Think step by step. Then write the final answer on its own line as 'Answer: <answer>'.",
  directInstruction: "Do not explain. Write only the final answer as 'Answer: <answer>'.",
  answerCue: 'Answer:',
};

export interface PromptOptions {
  /** Reason before answering (true) or answer at once (false). */
  thinking: boolean;
  /** A method's instruction (Chain of Draft, SWI, …), placed after the question. */
  instruction?: string;
  system?: string;
  /** Earlier turns, e.g. few-shot exemplars, placed before the question. */
  fewShot?: readonly ChatMessage[];
}

export interface ReasoningFormat {
  readonly spec: ReasoningFormatSpec;
  prompt(question: string, options: PromptOptions): Prompt;
  /** The engine's thinking control for this format, with an optional budget. */
  thinkingControl(budgetTokens?: number): ThinkingControl;
  /** Splits generated text into the chain and the answer part. */
  split(text: string): { thinking: string; answer: string };
}

export function reasoningFormat(spec: ReasoningFormatSpec): ReasoningFormat {
  return spec.kind === 'think-tags' ? thinkTagsFormat(spec) : promptedFormat(spec);
}

type ThinkTagsSpec = Extract<ReasoningFormatSpec, { kind: 'think-tags' }>;
type PromptedSpec = Extract<ReasoningFormatSpec, { kind: 'prompted' }>;

function userTurn(question: string, instruction: string | undefined): string {
  return instruction ? `${question}\n${instruction}` : question;
}

function messages(options: PromptOptions, user: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (options.system) out.push({ role: 'system', content: options.system });
  out.push(...(options.fewShot ?? []));
  out.push({ role: 'user', content: user });
  return out;
}

function thinkTagsFormat(spec: ThinkTagsSpec): ReasoningFormat {
  return {
    spec,
    prompt: (question, options) => ({
      kind: 'chat',
      messages: messages(options, userTurn(question, options.instruction)),
      enableThinking: options.thinking,
    }),
    thinkingControl: (budgetTokens) => ({
      endMarker: spec.close,
      budgetTokens,
      forcedText: spec.forcedAnswer,
      emptyThinking: { open: spec.open, text: emptyThinkBlock(spec) },
    }),
    // The grader (`thinkbench grade`) splits with the same function.
    split(text) {
      const { thinking, answer } = splitThinking(text, spec);
      return { thinking, answer };
    },
  };
}

/**
 * An empty thinking block as the chat templates write it when thinking is switched off (Qwen3's
 * and the embedded model's templates, enable_thinking=false: `<think>\n\n</think>\n\n`).
 */
export function emptyThinkBlock(spec: Pick<ThinkTagsSpec, 'open' | 'close'>): string {
  return `${spec.open}\n\n${spec.close}\n\n`;
}

function promptedFormat(spec: PromptedSpec): ReasoningFormat {
  return {
    spec,
    prompt: (question, options) => {
      const instruction = [options.instruction, options.thinking ? spec.thinkInstruction : spec.directInstruction]
        .filter((part): part is string => Boolean(part))
        .join('\n');
      return { kind: 'chat', messages: messages(options, userTurn(question, instruction)) };
    },
    thinkingControl: (budgetTokens) => ({
      endMarker: spec.answerCue,
      budgetTokens,
      forcedText: `\n${spec.answerCue}`,
    }),
    split(text) {
      const end = text.lastIndexOf(spec.answerCue);
      if (end < 0) return { thinking: text.trim(), answer: '' };
      return { thinking: text.slice(0, end).trim(), answer: text.slice(end + spec.answerCue.length).trim() };
    },
  };
}
