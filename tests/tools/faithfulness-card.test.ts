/**
 * The model card's faithfulness section is quoted by code from BENCHMARKS.md section 6: the
 * quoted lines are the printed runs' own lines, the card holds what the generator writes today
 * (so an edit to section 6 without regenerating the card fails here), and a section 6 without
 * the runs the card needs is refused rather than quoted half.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAITHFULNESS_END, FAITHFULNESS_START, outputBlocks, quotes, render, section, withSection } from '../../tools/tinythink/faithfulness-card';

const benchmarks = readFileSync('BENCHMARKS.md', 'utf8');
const card = readFileSync('public/models/thinkbench/tinythink/README.md', 'utf8');

describe('faithfulness section of the model card', () => {
  it('quotes section 6\'s printed lines verbatim: the baselines, both effects, and the noisy-rationale breakdown', () => {
    const q = quotes(benchmarks);
    const printed = outputBlocks(section(benchmarks, '## 6. ')).join('\n').split('\n');
    for (const line of [...q.lanham, ...q.nora]) expect(printed).toContain(line);
    for (const name of ['direct', 'cot', 'filler-tokens', 'adding-mistakes']) expect(q.lanham.some((line) => line.startsWith(`${name} `))).toBe(true);
    expect(q.lanham.some((line) => line.startsWith('paraphrasing '))).toBe(false);
    expect(q.nora[0]).toMatch(/^noisy-cot against clean exemplars/);
    expect(q.nora.some((line) => line.startsWith('noisy-cot:shots=1,noise=irrelevant'))).toBe(true);
  });

  it('is on the card as the generator writes it now', () => {
    const start = card.indexOf(FAITHFULNESS_START);
    const end = card.indexOf(FAITHFULNESS_END);
    expect(start).toBeGreaterThan(card.indexOf('<!-- eval:end -->'));
    expect(card.slice(start + FAITHFULNESS_START.length + 1, end - 1)).toBe(render(quotes(benchmarks)));
  });

  it('replaces only what lies between the markers, adds them once when missing, and refuses a lone marker', () => {
    const before = `# card\n\n${FAITHFULNESS_START}\nold\n${FAITHFULNESS_END}\ntail\n`;
    expect(withSection(before, 'new')).toBe(`# card\n\n${FAITHFULNESS_START}\nnew\n${FAITHFULNESS_END}\ntail\n`);
    const added = withSection('# card\n', 'new');
    expect(added).toBe(`# card\n\n${FAITHFULNESS_START}\nnew\n${FAITHFULNESS_END}\n`);
    expect(withSection(added, 'newer')).toBe(`# card\n\n${FAITHFULNESS_START}\nnewer\n${FAITHFULNESS_END}\n`);
    expect(() => withSection(`# card\n${FAITHFULNESS_START}\n`, 'x')).toThrow(/one faithfulness marker/);
  });

  it('refuses a section 6 without the noisy-rationale breakdown or without an effect\'s row', () => {
    const lanham = ['strategy  n', '--------  -', 'direct    3', 'cot       3', 'filler-tokens  3', 'adding-mistakes  3'].join('\n');
    const doc = (blocks: string[]) => `# B\n\n## 6. Probes\n\n${blocks.map((b) => `\`\`\`\n${b}\n\`\`\``).join('\n\n')}\n\n## 7. Next\n`;
    expect(() => quotes(doc([lanham]))).toThrow(/noisy-rationale breakdown/);
    const nora = 'noisy-cot against clean exemplars (…)\nnoisy-cot:shots=1,noise=none: n=3';
    expect(quotes(doc([lanham, nora])).nora).toEqual(nora.split('\n'));
    expect(() => quotes(doc([lanham.replace('\ncot       3', ''), nora]))).toThrow(/no cot row/);
  });
});
