/**
 * A second model call that rewrites a piece of a chain (with a mistake added, or paraphrased),
 * as Lanham et al. (2023) do with a separate model; here the same model is asked, thinking off,
 * and its first non-empty answer line is the rewrite.
 */
import type { SamplingParams } from '../generate';
import { generateRecords } from './records';
import type { Problem, SampleRecord, StrategyContext } from './types';

export interface RewriteCall {
  instruction: string;
  text: string;
  role: string;
  sampling: SamplingParams;
  maxNewTokens: number;
  /** Keep every line of the reply (a paraphrased chain), not only the first. */
  multiline?: boolean;
}

export interface Rewrite {
  record: SampleRecord;
  /** The rewritten text, or null when the reply held none. */
  text: string | null;
}

/**
 * The request is the user turn alone, thinking off, without the format's answer instruction:
 * the reply is the rewrite, not an answer to the question.
 */
export async function rewriteStep(problem: Problem, context: StrategyContext, call: RewriteCall): Promise<Rewrite> {
  const content = `Question: ${problem.question}\n\n${call.instruction}\n\n${call.text}`;
  const [record] = await generateRecords(
    context,
    {
      prompt: { kind: 'chat', messages: [{ role: 'user', content }], enableThinking: false },
      n: 1,
      maxNewTokens: call.maxNewTokens,
      sampling: call.sampling,
    },
    call.role,
    () => null,
  );
  const { answer, thinking } = context.format.split(record.text);
  const reply = (answer || thinking).trim();
  const lines = reply.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const text = call.multiline ? lines.join('\n') : (lines[0] ?? '');
  return { record, text: text.length > 0 ? text : null };
}
