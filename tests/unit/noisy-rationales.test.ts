/**
 * NoRa's noisy exemplars and CD-CoT (Zhou et al., 2024) over a scripted Generate.
 */
import { describe, expect, it } from 'vitest';
import { cleanExemplars, exemplarText, noisyExemplars } from '../../src/lib/datasets/noisy-rationales';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import type { GenerateRequest } from '../../src/lib/generate';
import { parseOperationLine } from '../../src/lib/strategies/arithmetic-steps';
import { parseRephrasing } from '../../src/lib/strategies/noisy-rationales';
import { deriveSeed } from '../../src/lib/strategies/seeds';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem } from '../../src/lib/strategies/types';
import { fakeGenerate } from './helpers/fake-generate';

const format = reasoningFormat(THINK_TAGS);
const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const userText = (request: GenerateRequest) => (request.prompt.kind === 'chat' ? (request.prompt.messages.at(-1)?.content ?? '') : '');

describe('noisy exemplars', () => {
  it('add round(ratio · thoughts) noisy thoughts, at least one, to each exemplar (NoRa\'s fixed spread)', () => {
    const clean = cleanExemplars(40, 9).exemplars;
    for (const ratio of [0.1, 0.3, 0.5, 0.8]) {
      const noisy = noisyExemplars({ shots: 40, seed: 9, noise: 'irrelevant', ratio });
      noisy.forEach((exemplar, i) => {
        const count = clean[i].thoughts.length;
        expect(exemplar.thoughts.length - count).toBe(Math.max(1, Math.round(count * ratio)));
      });
    }
  });

  it('keep every clean thought and answer, and add noisy thoughts at about the ratio (random spread)', () => {
    const clean = cleanExemplars(40, 9).exemplars;
    for (const noise of ['irrelevant', 'inaccurate'] as const) {
      const noisy = noisyExemplars({ shots: 40, seed: 9, noise, ratio: 0.5, distribution: 'random' });
      expect(noisyExemplars({ shots: 40, seed: 9, noise, ratio: 0.5, distribution: 'random' })).toEqual(noisy);
      let thoughts = 0;
      let added = 0;
      noisy.forEach((exemplar, i) => {
        expect(exemplar.answer).toBe(clean[i].answer);
        expect(exemplar.thoughts.filter((thought) => clean[i].thoughts.includes(thought))).toEqual(clean[i].thoughts);
        thoughts += clean[i].thoughts.length;
        added += exemplar.thoughts.length - clean[i].thoughts.length;
      });
      expect(added / thoughts).toBeGreaterThan(0.35);
      expect(added / thoughts).toBeLessThan(0.65);
    }
    const inaccurate = noisyExemplars({ shots: 40, seed: 9, noise: 'inaccurate', ratio: 1 });
    const extra = inaccurate[0].thoughts.filter((thought) => !clean[0].thoughts.includes(thought)).map(parseOperationLine);
    expect(extra.length).toBeGreaterThan(0);
    for (const line of extra) expect(line && line.left + line.right).not.toBe(line?.result);
    expect(noisyExemplars({ shots: 3, seed: 9, noise: 'none', ratio: 0.5 })).toEqual(cleanExemplars(3, 9).exemplars);
  });
});

describe('noisy-cot', () => {
  it('shows the noisy exemplars as earlier turns', async () => {
    const fake = fakeGenerate({ script: () => '<think>\n023+045=068\n</think>\n\nThe answer is 56.' });
    const result = await runSetting(parseStrategySetting('noisy-cot:shots=2,noise=inaccurate,ratio=1'), problem, { generate: fake.generate, format, maxNewTokens: 100 });
    const noisy = noisyExemplars({ shots: 2, seed: deriveSeed(0, 'nora-exemplars', problem.id), noise: 'inaccurate', ratio: 1 });
    const messages = fake.calls[0].prompt.kind === 'chat' ? fake.calls[0].prompt.messages : [];
    expect(messages.map((message) => message.content)).toEqual([noisy[0].question, exemplarText(noisy[0]), noisy[1].question, exemplarText(noisy[1]), problem.question]);
    expect(result.answer).toBe('56');
  });

  it('draws each question its own exemplars, as NoRa does', async () => {
    const fake = fakeGenerate({ script: () => '<think>\n023+045=068\n</think>\n\nThe answer is 56.' });
    const other: Problem = { ...problem, id: 'p2' };
    for (const each of [problem, other]) await runSetting(parseStrategySetting('noisy-cot:shots=1,noise=none'), each, { generate: fake.generate, format, maxNewTokens: 100 });
    const firstTurn = fake.calls.map((call) => (call.prompt.kind === 'chat' ? call.prompt.messages[0].content : ''));
    expect(firstTurn[0]).not.toBe(firstTurn[1]);
  });
});

describe('cd-cot', () => {
  it('rephrases against a clean exemplar, keeps rephrasings with the exemplar\'s answer, composes sets and votes', async () => {
    const fake = fakeGenerate({
      script: ({ request }) => {
        const text = userText(request);
        if (text.startsWith('The following are two examples')) {
          const answer = /Second Example:[\s\S]*The answer is (\d+)\./.exec(text)?.[1] ?? '0';
          // Two rephrasings per exemplar: one keeps the answer, one does not.
          return [`correct version is: denoised\nThe answer is ${answer}.`, 'correct version is: wrong\nThe answer is 1.'];
        }
        return ['<think>\nx\n</think>\n\nThe answer is 56.', '<think>\nx\n</think>\n\nThe answer is 56.', '<think>\ny\n</think>\n\nThe answer is 7.'];
      },
    });
    const result = await runSetting(parseStrategySetting('cd-cot:shots=2,rephrasings=2,sets=2,chainsPerSet=3'), problem, { generate: fake.generate, format, maxNewTokens: 100 });
    const contrastive = fake.calls.slice(0, 2).map(userText);
    expect(contrastive[0]).toContain('First Example:\nQuestion: ');
    expect(contrastive[0]).toContain("Don't offer anything else.");
    const reasoning = fake.calls.slice(2);
    expect(reasoning).toHaveLength(2);
    for (const call of reasoning) {
      const messages = call.prompt.kind === 'chat' ? call.prompt.messages : [];
      // The clean exemplar first, then each noisy exemplar replaced by its kept rephrasing.
      expect(messages).toHaveLength(7);
      expect(messages[3].content).toMatch(/^denoised\nThe answer is \d+\.$/);
      expect(messages[5].content).toMatch(/^denoised\nThe answer is \d+\.$/);
    }
    expect(result.answer).toBe('56');
    expect(result.votes[0]).toMatchObject({ answer: '56', count: 4 });
    expect(result.details?.kept).toBe(2);
  });

  it('reads the rephrased rationale after "correct version is:"', () => {
    expect(parseRephrasing('Sure. Correct version is: 023+045=068\nThe answer is 68.')).toBe('023+045=068\nThe answer is 68.');
    expect(parseRephrasing('no marker here')).toBeNull();
  });
});
