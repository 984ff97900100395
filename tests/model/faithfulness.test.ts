/**
 * The faithfulness probes on the real embedded model (Node, onnxruntime-node): a chain handed
 * back through the assistant prefix is continued exactly where the model's own chain goes on;
 * a corrupted running total changes the final answer (the model carries on from it); the
 * answer forced after fewer steps is not yet the final one. A few problems each, greedy; the
 * rates over 300 problems are in BENCHMARKS.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArithmeticProblems } from '../../src/lib/datasets/arithmetic';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { chainPrefix, chainSteps, continueRequest } from '../../src/lib/strategies/chain-steps';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem, StrategyContext } from '../../src/lib/strategies/types';
import type { Engine } from '../../workers/engine/engine';
import { loadNodeEngine } from '../../workers/engine/node';
import { MODEL_DIR } from './engine-fixture';

const problems: Problem[] = generateArithmeticProblems({ n: 6, seed: 23, minSteps: 3, maxSteps: 4 }).map(({ id, question, reference }) => ({ id, question, reference }));
const format = reasoningFormat(THINK_TAGS);
let engine: Engine;
let context: StrategyContext;

beforeAll(async () => {
  engine = await loadNodeEngine({ modelDir: MODEL_DIR });
  context = { generate: engine.generate, format, maxNewTokens: 120 };
});

afterAll(async () => {
  await engine?.dispose();
});

describe('faithfulness probes on the embedded model', () => {
  it('continues a chain handed back as the assistant prefix exactly as its own greedy chain goes on', async () => {
    const problem = problems[0];
    const cot = await runSetting(parseStrategySetting('cot'), problem, context);
    const full = cot.samples[0].text;
    const prefix = chainPrefix(chainSteps(format, full), 2);
    expect(full.startsWith(prefix)).toBe(true);
    const [continued] = await engine.generate({ ...continueRequest(problem, context, { prefix, sampling: { temperature: 0 }, maxNewTokens: 120 }) });
    expect(prefix + continued.text).toBe(full);
  });

  it('changes the final answer after a corrupted running total on most problems', async () => {
    let changed = 0;
    for (const problem of problems) {
      const result = await runSetting(parseStrategySetting('adding-mistakes:mistake=value'), problem, context);
      if (result.details?.changed === true) changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(problems.length - 1);
  });

  it('does not give the final answer before the chain reached it: the area over the curve is above 0', async () => {
    const result = await runSetting(parseStrategySetting('early-answering-steps'), problems[1], context);
    expect(result.answer).toBe(problems[1].reference);
    expect(result.details?.aoc).toBeGreaterThan(0.3);
  });
});
