import type { Generate, Sample } from '../generate';
import type { ReasoningFormat } from '../formats/reasoning-format';
import type { ExtractedAnswer } from '../answers/types';

/** One question of a dataset. `reference` is the gold answer as text (a number, a letter, yes/no). */
export interface Problem {
  id: string;
  question: string;
  reference: string;
  choices?: readonly string[];
}

/** A generated sample as a strategy saw it: the engine's sample plus what was read from it. */
export interface SampleRecord extends Sample {
  /** What this sample was for, e.g. `chain`, `answer`, `probe@50%`, `critique`. */
  role: string;
  answer: ExtractedAnswer | null;
}

export interface VoteCount {
  answer: string;
  /** Samples that gave this answer. */
  count: number;
  /** Sum of their weights (equal to count unless confidence weighting is on). */
  weight: number;
}

export interface StrategyTotals {
  samples: number;
  tokens: number;
  thinkingTokens: number;
  answerTokens: number;
  wallMs: number;
}

export interface StrategyResult {
  /** The final answer's normalised value, or null when none could be extracted. */
  answer: string | null;
  samples: SampleRecord[];
  /** Vote distribution, most votes first (one entry for single-sample strategies). */
  votes: VoteCount[];
  totals: StrategyTotals;
  /** Strategy-specific extras (agreement, stopping point, probe curve, …), plain JSON. */
  details?: Record<string, unknown>;
}

export interface StrategyContext {
  generate: Generate;
  format: ReasoningFormat;
  signal?: AbortSignal;
  /** Upper bound on new tokens for a full chain; strategies derive their own limits from it. */
  maxNewTokens: number;
  /**
   * The model's median chain length on the dataset in thinking tokens (see `budget.ts`), for
   * budgets given as a fraction; a strategy's own `medianChainTokens` setting takes precedence.
   */
  medianChainTokens?: number;
  /** Called as each sample finishes, so callers can persist it before the strategy returns. */
  onSample?: (sample: SampleRecord) => void;
}

export interface Strategy<Config extends object> {
  readonly id: string;
  readonly label: string;
  /** One or two sentences, citing the paper. */
  readonly description: string;
  readonly defaults: Config;
  run(problem: Problem, config: Config, context: StrategyContext): Promise<StrategyResult>;
}
