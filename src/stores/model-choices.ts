/**
 * The models the Playground offers. The embedded model always; any other model served under
 * /models/ can be named by id. (The hub catalog, src/lib/models, adds downloadable ones.)
 */
import type { Dtype } from '../client/engine-types';
import { THINK_TAGS, type ReasoningFormatSpec } from '../lib/formats/reasoning-format';

export interface ModelChoice {
  id: string;
  label: string;
  /** The weight variants the model ships. */
  dtypes: readonly Dtype[];
  format: ReasoningFormatSpec;
}

export const EMBEDDED_MODEL: ModelChoice = {
  id: 'thinkbench/tinythink',
  label: 'thinkbench/tinythink (embedded)',
  dtypes: ['fp32', 'q8'],
  format: THINK_TAGS,
};

/** A model folder under /models/ that the app does not know about: every dtype may be tried. */
export function localModelChoice(id: string): ModelChoice {
  return { id, label: `${id} (local)`, dtypes: ['fp32', 'q8', 'fp16', 'q4', 'q4f16'], format: THINK_TAGS };
}
