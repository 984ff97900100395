/**
 * Verbal confidence for confidence-weighted voting (CISC: Taubenfeld et al., 2025, "Confidence
 * Improves Self-Consistency in LLMs"): after a chain, the model is asked in a follow-up turn how
 * sure it is; the reply (0–100) becomes the vote's weight. The engine reports no token
 * probabilities, so the verbal variant is the one available here.
 */
import { extractAnswer } from '../answers/extract';
import { generateRecords } from './records';
import { questionText, turn, visibleText } from './chains';
import type { Problem, SampleRecord, StrategyContext } from './types';

export const CONFIDENCE_PROMPT =
  'How confident are you that your answer is correct? Reply with a single number from 0 to 100.';

/** Weight given when the reply holds no number: neutral, neither trusted nor discarded. */
export const UNREADABLE_CONFIDENCE = 0.5;

const CONFIDENCE_TOKENS = 16;

export async function verbalConfidence(
  problem: Problem,
  chain: SampleRecord,
  context: StrategyContext,
): Promise<{ weight: number; record: SampleRecord }> {
  const history = [
    turn('user', questionText(problem)),
    turn('assistant', visibleText(context.format, chain.text)),
  ];
  const [record] = await generateRecords(
    context,
    {
      prompt: context.format.prompt(CONFIDENCE_PROMPT, { thinking: false, fewShot: history }),
      n: 1,
      maxNewTokens: CONFIDENCE_TOKENS,
      sampling: { temperature: 0 },
    },
    'confidence',
    (text) => extractAnswer(text, { kind: 'number' }),
  );
  const stated = record.answer ? Number(record.answer.value) : Number.NaN;
  const weight = Number.isFinite(stated) ? Math.min(1, Math.max(0, stated / 100)) : UNREADABLE_CONFIDENCE;
  return { weight, record };
}
