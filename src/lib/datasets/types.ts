import type { Problem } from '../strategies/types';

/** A problem as a dataset holds it: the strategies' `Problem` plus the split it came from, if any. */
export interface DatasetProblem extends Problem {
  split?: string;
}

/** Where a dataset came from; enough to list it ("GSM8K file test.jsonl") and to regenerate a built-in one. */
export type DatasetSource =
  | { kind: 'builtin'; generator: 'arithmetic'; n: number; seed: number; minSteps: number; maxSteps: number }
  | { kind: 'file'; format: 'gsm8k' | 'jsonl' | 'csv'; fileName: string }
  | { kind: 'hf-rows'; host: string; dataset: string; config: string; split: string };

export interface Dataset {
  id: string;
  name: string;
  source: DatasetSource;
  problems: DatasetProblem[];
}

/** One line for lists: "built-in arithmetic (n=300, seed 1, 2–4 steps)", "GSM8K file test.jsonl", … */
export function describeSource(source: DatasetSource): string {
  switch (source.kind) {
    case 'builtin': {
      const steps = source.minSteps === source.maxSteps ? `${source.minSteps}` : `${source.minSteps}–${source.maxSteps}`;
      return `built-in arithmetic (n=${source.n}, seed ${source.seed}, ${steps} steps)`;
    }
    case 'file':
      return `${source.format === 'gsm8k' ? 'GSM8K' : source.format.toUpperCase()} file ${source.fileName}`;
    case 'hf-rows':
      return `Hugging Face ${source.dataset} (${source.config}/${source.split})`;
  }
}
