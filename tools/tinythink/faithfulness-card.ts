/**
 * The model card's faithfulness section: the filler-token, adding-mistakes and noisy-rationale
 * effects of issue 14, quoted line for line from the printed output of the runs in BENCHMARKS.md
 * section 6 (which records their commands, commit and load), between the card's faithfulness
 * markers. Quoted rather than rerun: those runs take hours on the shared machine, and a quote
 * cannot drift from what the runs printed. Rerun after section 6 changes:
 *
 *   npx tsx tools/tinythink/faithfulness-card.ts [--benchmarks BENCHMARKS.md] [--card public/models/thinkbench/tinythink/README.md]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FAITHFULNESS_START = '<!-- faithfulness:start -->';
export const FAITHFULNESS_END = '<!-- faithfulness:end -->';

/** Rows of section 6's first run quoted on the card: the baselines and the two effects. */
const LANHAM_ROWS = ['direct', 'cot', 'filler-tokens', 'adding-mistakes'];
/** The line that opens the noisy-rationale breakdown (bench/nora-breakdown.ts). */
const NORA_MARK = 'noisy-cot against clean exemplars';

/** The text of the section whose heading starts with `heading`, up to the next `## ` heading. */
export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start + 1, next < 0 ? undefined : next);
}

/** Fenced blocks without an info string: printed output (the commands are fenced as `sh`). */
export function outputBlocks(text: string): string[] {
  const blocks: string[] = [];
  let open: { info: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('```')) {
      open?.lines.push(line);
    } else if (open === null) {
      open = { info: line.slice(3).trim(), lines: [] };
    } else {
      if (open.info === '') blocks.push(open.lines.join('\n'));
      open = null;
    }
  }
  return blocks;
}

/** A table's header and rule lines, and its rows whose first cell is one of `names`. */
function pickRows(block: string, names: readonly string[]): string[] {
  return block.split('\n').filter((line) => {
    const first = line.split(/\s+/)[0];
    return first === 'strategy' || first === 'probe' || /^-{3,}\s/.test(line) || names.includes(first);
  });
}

export interface Quotes {
  lanham: string[];
  nora: string[];
}

/** The lines to quote, from BENCHMARKS.md; throws when section 6 lacks a run the card needs. */
export function quotes(benchmarks: string): Quotes {
  const blocks = outputBlocks(section(benchmarks, '## 6. '));
  const lanhamBlock = blocks.find((block) => block.includes('\nfiller-tokens ') && block.includes('\nadding-mistakes '));
  if (!lanhamBlock) throw new Error('section 6 has no printed run with filler-tokens and adding-mistakes');
  const noraBlock = blocks.find((block) => block.startsWith(NORA_MARK));
  if (!noraBlock) throw new Error(`section 6 has no printed noisy-rationale breakdown ("${NORA_MARK}…")`);
  const lanham = pickRows(lanhamBlock, LANHAM_ROWS);
  for (const name of LANHAM_ROWS) {
    if (!lanham.some((line) => line.startsWith(`${name} `))) throw new Error(`section 6's run has no ${name} row`);
  }
  return { lanham, nora: noraBlock.split('\n') };
}

export function render(q: Quotes): string {
  return [
    '### Faithfulness and robustness probes (issue 14)',
    '',
    'Quoted line for line by `npx tsx tools/tinythink/faithfulness-card.ts` from the printed output of the runs in',
    "thinkbench's BENCHMARKS.md section 6, which gives each run's command, commit, machine load and a discussion",
    '(300 built-in problems of 1–6 steps, fp32, greedy unless a temperature is set).',
    '',
    'Does the answer come from the chain? Filler tokens (the chain replaced by dots of equal length) and adding',
    'mistakes (one step of the model\'s own chain corrupted, then continued), beside direct answering and the chain:',
    '',
    '```',
    ...q.lanham,
    '```',
    '',
    'Noisy rationales (NoRa; Zhou et al., 2024): few-shot exemplars with irrelevant or inaccurate thoughts against',
    'clean ones, and CD-CoT, which rephrases the noisy exemplars against a clean one and votes (with one exemplar,',
    'always a 2-step problem, the ratios 0.5 and 0.8 insert the same number of noisy thoughts, so their rows are one',
    'prompt; BENCHMARKS.md section 6 discusses this and the paper\'s settings):',
    '',
    '```',
    ...q.nora,
    '```',
    '',
    'Why the noisy-rationale study reads differently here than in the paper: this model saw earlier turns in',
    'training only as one or two short questions with a bare answer sentence (a small share of examples,',
    '`FEWSHOT_SHARE` in `data.py`), never an exemplar that writes its chain, and never a prompt as long as',
    'several such exemplars make. The clean 2- and 3-shot rows above (and their prompt lengths) show what the',
    'paper\'s three exemplars do to it, so the study runs with one exemplar per question. CD-CoT asks the model to',
    'rewrite each noisy exemplar ("correct version is: …"), an instruction it was never trained on; a rewrite',
    'counts only if it keeps the exemplar\'s answer (the "rephrasings kept" line), and where none does the noisy',
    'exemplar stays, as the authors\' code does. Its reasoning prompts also put the clean exemplar first, two',
    'exemplars in all: the length at which the clean 2-shot row shows this model failing. So the noise effect',
    'shows on this model, and CD-CoT\'s recovery cannot: what its row measures is the longer prompt and the vote.',
  ].join('\n');
}

/** The card with the section between the markers; markers are added after the measurements when missing. */
export function withSection(card: string, body: string): string {
  const block = `${FAITHFULNESS_START}\n${body}\n${FAITHFULNESS_END}`;
  const start = card.indexOf(FAITHFULNESS_START);
  const end = card.indexOf(FAITHFULNESS_END);
  if (start >= 0 && end > start) return card.slice(0, start) + block + card.slice(end + FAITHFULNESS_END.length);
  if (start >= 0 || end >= 0) throw new Error('the card has only one faithfulness marker');
  return `${card.replace(/\n*$/, '')}\n\n${block}\n`;
}

function main(): void {
  const arg = (name: string, fallback: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return resolve(at < 0 ? fallback : process.argv[at + 1]);
  };
  const benchmarks = readFileSync(arg('benchmarks', 'BENCHMARKS.md'), 'utf8');
  const cardPath = arg('card', 'public/models/thinkbench/tinythink/README.md');
  const body = render(quotes(benchmarks));
  writeFileSync(cardPath, withSection(readFileSync(cardPath, 'utf8'), body));
  console.log(body);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
