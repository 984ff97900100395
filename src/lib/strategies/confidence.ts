/**
 * Verbal confidence for confidence-weighted voting (CISC: Taubenfeld et al., 2025, "Confidence
 * Improves Self-Consistency in LLMs"): after a chain, the model is asked in a follow-up turn how
 * sure it is, and the reply is read as a probability (stated-confidence.ts). Turning the
 * confidences of a question's chains into vote weights is cisc.ts's job, so another confidence
 * source (token probabilities) can feed the same normalisation.
 */
import { generateRecords } from './records';
import { questionText, turn, visibleText } from './chains';
import { parseStatedConfidence } from './stated-confidence';
import type { Problem, SampleRecord, StrategyContext } from './types';

/** CISC's verbal 0–100 question, with a cue that marks where the value is written. */
export const CONFIDENCE_PROMPT =
  'How confident are you that your answer is correct? Reply with a single number from 0 to 100, as "Confidence: <number>".';

const CONFIDENCE_TOKENS = 16;

/** The confidence the model states for `chain`, in [0, 1], or null when its reply holds none. */
export async function verbalConfidence(
  problem: Problem,
  chain: SampleRecord,
  context: StrategyContext,
): Promise<{ confidence: number | null; record: SampleRecord }> {
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
    // The record's answer is not a vote; the confidence is read from the reply below.
    () => null,
  );
  const reply = context.format.split(record.text).answer || record.text;
  return { confidence: parseStatedConfidence(reply), record };
}
