import type { Prompt, ThinkingControl } from '../../src/lib/generate';

/**
 * Where generated tokens start, phase-wise: null when there is no thinking to track — no
 * control, thinking switched off in the chat prompt, or a prompt that already ends with the end
 * marker (Qwen3's template with enable_thinking=false ends in `<think>\n\n</think>\n\n`; an
 * early-answering probe ends in its forced answer cue). Otherwise rows start thinking.
 */
export function initialEndMarker(control: ThinkingControl | undefined, prompt: Prompt, promptText: string): string | null {
  if (!control || control.endMarker.length === 0) return null;
  if (prompt.kind === 'chat' && prompt.enableThinking === false) return null;
  if (promptText.trimEnd().endsWith(control.endMarker.trim())) return null;
  return control.endMarker;
}

/** How the request's generation splits around a budget cut. */
export type BudgetPlan =
  | { kind: 'none' }
  /** Budget 0: the forced text goes straight after the prompt. */
  | { kind: 'force-first'; forcedText: string }
  /** Phase 1 generates `budgetTokens` steps; rows still thinking then get `forcedText` and all continue. */
  | { kind: 'cut'; budgetTokens: number; forcedText: string };

export function budgetPlan(
  control: ThinkingControl | undefined,
  endMarker: string | null,
  maxNewTokens: number,
  promptText = '',
): BudgetPlan {
  const budget = control?.budgetTokens;
  if (!control || endMarker === null || budget === undefined || budget >= maxNewTokens) return { kind: 'none' };
  if (!Number.isInteger(budget) || budget < 0) throw new RangeError(`budgetTokens must be a whole number >= 0, got ${budget}`);
  const forcedText = control.forcedText ?? endMarker;
  if (budget > 0) return { kind: 'cut', budgetTokens: budget, forcedText };
  return { kind: 'force-first', forcedText: budgetZeroText(control, forcedText, promptText) };
}

/**
 * What budget 0 puts after the prompt: a well-formed empty thinking block, unless the prompt
 * already opened one (templates that end in `<think>\n`), where closing it is all that is left.
 */
function budgetZeroText(control: ThinkingControl, forcedText: string, promptText: string): string {
  const empty = control.emptyThinking;
  if (!empty || promptText.trimEnd().endsWith(empty.open)) return forcedText;
  return empty.text;
}
