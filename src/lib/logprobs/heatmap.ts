/**
 * The Playground's per-token confidence view, as plain data: one cell per generated token with
 * its probability under the model's own distribution and its top alternatives (for the hover).
 */
import type { TokenLogprobs } from '../generate';

export interface HeatCell {
  text: string;
  probability: number;
  phase: 'thinking' | 'answer';
  /** "'4' 93.1% · '7' 5.2% …" for the title attribute. */
  alternatives: string;
}

export function heatCells(logprobs: TokenLogprobs, thinkingTokens: number): HeatCell[] {
  const k = logprobs.topK;
  return logprobs.tokenTexts.map((text, i) => {
    const alternatives: string[] = [];
    for (let j = 0; j < k; j++) {
      const p = Math.exp(logprobs.topLogprobs[i * k + j]);
      if (p > 0) alternatives.push(`${JSON.stringify(logprobs.topTexts[i * k + j])} ${formatPercent(p)}`);
    }
    const probability = Math.exp(logprobs.logprobs[i]);
    return {
      text,
      probability,
      phase: i < thinkingTokens ? 'thinking' : 'answer',
      alternatives: `p = ${formatPercent(probability)}, entropy ${logprobs.entropies[i].toFixed(2)} nats${alternatives.length ? ` · ${alternatives.join(' · ')}` : ''}`,
    };
  });
}

function formatPercent(p: number): string {
  return `${(100 * p).toFixed(p >= 0.995 || p < 0.001 ? 2 : 1)}%`;
}

/** Background for a probability: red (unsure) through amber to clear (sure). */
export function heatColor(probability: number): string {
  const alpha = Math.min(1, Math.max(0, 1 - probability)) * 0.85;
  return `rgba(220, 60, 40, ${alpha.toFixed(3)})`;
}
