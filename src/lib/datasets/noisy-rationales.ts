/**
 * Few-shot exemplars with noisy rationales, after NoRa (Zhou et al., 2024, "Can Language Models
 * Perform Robust Reasoning in Chain-of-thought Prompting with Noisy Rationales?"): clean
 * exemplars of the built-in task (question, chain, answer) and noisy copies of them, in which
 * noisy thoughts follow some thoughts — after round(ratio · thoughts) of them, at least one,
 * chosen at random (NoRa's default `fixed` distribution), or after each with probability
 * `ratio` (`random`) —
 * - `irrelevant`: a true but useless fact about a number of the problem ("45 is odd");
 * - `inaccurate`: a wrong calculation with the problem's numbers ("045+023=078"), which the
 *   chain then ignores (the answer stays right, as in NoRa).
 * Seeded: the same exemplars and the same noise every time.
 */
import { createRng, type Rng } from './prng';
import { answerSentence, CHAIN_WIDTH, generateArithmeticProblems, type ArithmeticProblem } from './arithmetic';

export type NoiseKind = 'none' | 'irrelevant' | 'inaccurate';
/** How noisy thoughts are spread over an exemplar's thoughts (NoRa's `noise_distribution`). */
export type NoiseDistribution = 'fixed' | 'random';

export interface RationaleExemplar {
  question: string;
  /** Thoughts, one per line. */
  thoughts: string[];
  answer: string;
}

export interface NoisyExemplarOptions {
  shots: number;
  seed: number;
  noise: NoiseKind;
  /** Noisy thoughts per clean thought (NoRa: 0.3 easy, 0.5 medium, 0.8 hard). */
  ratio: number;
  /** Default `fixed`, as NoRa's processed datasets. */
  distribution?: NoiseDistribution;
}

export function exemplarText(exemplar: RationaleExemplar): string {
  return `${exemplar.thoughts.join('\n')}\n${answerSentence(exemplar.answer)}`;
}

/** Clean exemplars: built-in problems of 2–4 steps from the seed. */
export function cleanExemplars(shots: number, seed: number): { exemplars: RationaleExemplar[]; problems: ArithmeticProblem[] } {
  const problems = generateArithmeticProblems({ n: shots, seed, minSteps: 2, maxSteps: 4 });
  return { exemplars: problems.map((problem) => ({ question: problem.question, thoughts: [...problem.chain], answer: problem.reference })), problems };
}

const pad = (value: number) => String(value).padStart(CHAIN_WIDTH, '0');

function irrelevantThought(value: number, pick: number): string {
  const facts = [
    `${value} is ${value % 2 === 0 ? 'even' : 'odd'}`,
    `${value} has ${String(value).length} digits`,
    `${value} has the digit sum ${[...String(value)].reduce((sum, digit) => sum + Number(digit), 0)}`,
  ];
  return facts[pick % facts.length];
}

function inaccurateThought(a: number, b: number, pick: number): string {
  const wrong = a + b + (pick % 2 === 0 ? 10 : -10);
  return `${pad(a)}+${pad(b)}=${pad(Math.max(0, wrong))}`;
}

/** Which thoughts get a noisy thought after them. */
function noisyPositions(count: number, ratio: number, distribution: NoiseDistribution, rng: Rng): boolean[] {
  if (distribution === 'random') return Array.from({ length: count }, () => rng.next() < ratio);
  // NoRa's `fixed` (NoRa-Math): round(count · ratio) positions, at least one, drawn without replacement.
  const wanted = Math.min(count, Math.max(1, Math.round(count * ratio)));
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = new Set(order.slice(0, wanted));
  return Array.from({ length: count }, (_, i) => chosen.has(i));
}

/** The exemplars with noise at the ratio (the clean ones when `noise` is none or the ratio 0). */
export function noisyExemplars(options: NoisyExemplarOptions): RationaleExemplar[] {
  const { exemplars, problems } = cleanExemplars(options.shots, options.seed);
  if (options.noise === 'none' || options.ratio <= 0) return exemplars;
  const rng = createRng(options.seed ^ 0x5eed);
  return exemplars.map((exemplar, i) => {
    const numbers = problems[i].numbers;
    const noisyAfter = noisyPositions(exemplar.thoughts.length, options.ratio, options.distribution ?? 'fixed', rng);
    const thoughts: string[] = [];
    for (const [t, thought] of exemplar.thoughts.entries()) {
      thoughts.push(thought);
      if (!noisyAfter[t]) continue;
      const a = numbers[rng.int(0, numbers.length - 1)];
      const b = numbers[rng.int(0, numbers.length - 1)];
      const pick = rng.int(0, 5);
      thoughts.push(options.noise === 'irrelevant' ? irrelevantThought(a, pick) : inaccurateThought(a, b, pick));
    }
    return { ...exemplar, thoughts };
  });
}
