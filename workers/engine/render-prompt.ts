import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { Prompt } from '../../src/lib/generate';

/**
 * The text a prompt is generated from: chat messages through the model's own chat template
 * (with the generation prompt; `enable_thinking` for templates that take it — others ignore
 * it) and the assistant's prefix after it, or raw text as is.
 */
export function renderPrompt(tokenizer: PreTrainedTokenizer, prompt: Prompt): string {
  if (prompt.kind === 'raw') return prompt.text;
  // Extra keys reach the template as variables; the option type just doesn't list them.
  const options = { tokenize: false, add_generation_prompt: true, enable_thinking: prompt.enableThinking ?? true } as const;
  const rendered = tokenizer.apply_chat_template(
    prompt.messages.map((message) => ({ role: message.role, content: message.content })),
    options,
  );
  if (typeof rendered !== 'string') throw new Error('the chat template did not render to text');
  return rendered + (prompt.assistantPrefix ?? '');
}
