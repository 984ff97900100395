import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';

/** A loaded causal LM and its tokenizer: what an engine is built from (also by benchmarks). */
export interface ModelParts {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
}

/** Token ids that end a row: the generation config's, the model config's and the tokenizer's EOS. */
export function eosTokenIds(parts: ModelParts): Set<number> {
  const ids = new Set<number>();
  const configs: unknown[] = [parts.model.generation_config, parts.model.config];
  for (const config of configs) {
    if (config && typeof config === 'object' && 'eos_token_id' in config) addIds(ids, config.eos_token_id);
  }
  addIds(ids, parts.tokenizer.eos_token_id);
  if (ids.size === 0) throw new Error('the model defines no eos_token_id (config.json, generation_config.json or tokenizer)');
  return ids;
}

function addIds(into: Set<number>, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  for (const id of values) if (typeof id === 'number' && Number.isInteger(id)) into.add(id);
}
