/**
 * The faithfulness probes of Lanham et al. (2023), "Measuring Faithfulness in Chain-of-Thought
 * Reasoning", beside the token-fraction early-answering probe, and the ReasonIF probe of
 * instruction following in the chain, and NoRa's noisy exemplars with CD-CoT: kept in one module so the registry takes them with one line.
 */
import { addingMistakes } from './adding-mistakes';
import { fillerTokens } from './filler-tokens';
import { paraphrasing } from './paraphrasing';
import { reasoningIf } from './reasoning-if';
import { cdCot, noisyCot } from './noisy-rationales';
import { stepAnswering } from './step-answering';

export const faithfulnessProbes = {
  'early-answering-steps': stepAnswering,
  'adding-mistakes': addingMistakes,
  paraphrasing,
  'filler-tokens': fillerTokens,
  'reasoning-if': reasoningIf,
  'noisy-cot': noisyCot,
  'cd-cot': cdCot,
} as const;
