import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import type { Dataset } from '../../src/lib/datasets/types';
import { CATALOG, EMBEDDED_MODEL_ID, findEntry } from '../../src/lib/models/catalog';
import { datasetTaskKind, skillsHint } from '../../src/lib/models/skills';

const GSM8K_TEST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/gsm8k/test.jsonl');

function fileDataset(questions: string[]): Dataset {
  return {
    id: 'f',
    name: 'file',
    source: { kind: 'file', format: 'jsonl', fileName: 'x.jsonl' },
    problems: questions.map((question, index) => ({ id: `q${index}`, question, reference: '1' })),
  };
}

const WORD_PROBLEMS = fileDataset([
  "Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers' market?",
  'A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total does it take?',
]);

describe('what the embedded model can do, and the hint when a dataset asks more', () => {
  const embedded = findEntry(EMBEDDED_MODEL_ID);

  it('the catalog says so for the embedded model only', () => {
    expect(embedded?.skills?.tasks).toEqual(['integer-arithmetic']);
    expect(CATALOG.filter((entry) => entry.skills).map((entry) => entry.id)).toEqual([EMBEDDED_MODEL_ID]);
  });

  it('tells arithmetic from word problems', () => {
    const builtin = arithmeticDataset({ n: 30, seed: 3 });
    expect(datasetTaskKind(builtin)).toBe('integer-arithmetic');
    // The same questions imported as a file (both phrasings the model was trained on).
    expect(datasetTaskKind(fileDataset(builtin.problems.map((problem) => problem.question)))).toBe('integer-arithmetic');
    expect(datasetTaskKind(WORD_PROBLEMS)).toBe('word-problems');
  });

  it('warns on word problems for the embedded model, not on arithmetic, and never for a general model', () => {
    if (!embedded) throw new Error('no embedded model in the catalog');
    const hint = skillsHint(embedded, WORD_PROBLEMS);
    expect(hint).toMatch(/tinythink.*multi-step integer arithmetic.*word problems.*near 0/s);
    expect(skillsHint(embedded, arithmeticDataset({ n: 10, seed: 1 }))).toBeNull();
    const qwen = findEntry('onnx-community/Qwen3-0.6B-ONNX');
    if (!qwen) throw new Error('no Qwen3 in the catalog');
    expect(skillsHint(qwen, WORD_PROBLEMS)).toBeNull();
  });

  it.skipIf(!existsSync(GSM8K_TEST) && process.env.THINKBENCH_REQUIRE_SHARED !== '1')('GSM8K test questions are word problems (skips without ../shared)', () => {
    const questions = readFileSync(GSM8K_TEST, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 100)
      .map((line) => (JSON.parse(line) as { question: string }).question);
    expect(datasetTaskKind(fileDataset(questions))).toBe('word-problems');
  });
});
