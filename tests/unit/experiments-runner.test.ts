import { describe, expect, it } from 'vitest';
import { reasoningFormat, THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { resolveStrategies } from '../../src/lib/experiments/spec';
import { buildMatrix, type MatrixUnit } from '../../src/lib/experiments/matrix';
import { runExperiment, UnitFailedError, type RunProgress } from '../../src/lib/experiments/runner';
import { cachedGenerate, MemoryGenerationCache } from '../../src/lib/experiments/cache';
import type { UnitResult } from '../../src/lib/experiments/types';
import { ANSWERS, PROBLEMS, scriptedModel } from './experiments-fixtures';

const format = reasoningFormat(THINK_TAGS);
const identity = { modelId: 'test/model', dtype: 'fp32', device: 'cpu', weights: 'w1' };
/** Self-consistency in batches of 3 up to 6, so one unit makes two calls (a place to stop mid-unit). */
const STRATEGIES = ['direct', 'cot', 'self-consistency:k=6,batch=3,temperature=0.7,seed=3'];
const rowAnswers = (question: string, row: number, seed: number) => (row === 1 && seed % 2 === 0 ? '0' : ANSWERS.get(question) ?? '');

function matrix(): MatrixUnit[] {
  return buildMatrix(resolveStrategies(STRATEGIES), PROBLEMS);
}

/** What must be equal between an interrupted-and-resumed run and an uninterrupted one. */
function comparable(result: UnitResult) {
  return { unitId: result.unitId, answer: result.answer, correct: result.correct, samples: result.result.samples.map((s) => [s.text, s.role]), votes: result.result.votes };
}

describe('experiment runner', () => {
  it('runs every unit, grades by value, and reports monotonic progress', async () => {
    const model = scriptedModel({ answers: ANSWERS, rowAnswers });
    const progress: RunProgress[] = [];
    const done: string[] = [];
    const samples: string[] = [];
    const outcome = await runExperiment({
      units: matrix(),
      generate: model.generate,
      format,
      maxNewTokens: 64,
      onProgress: (p) => progress.push(p),
      onUnitDone: (unit) => void done.push(unit.unitId),
      onSample: (unit) => void samples.push(unit.id),
    });
    expect(outcome.status).toBe('completed');
    expect(done).toEqual(matrix().map((unit) => unit.id));
    expect(outcome.results.map((r) => [r.strategy, r.problemId, r.answer, r.correct])).toEqual([
      ['direct', 'q0', '30', true],
      ['direct', 'q1', '36', false],
      ['direct', 'q2', '42', true],
      ['cot', 'q0', '30', true],
      ['cot', 'q1', '36', false],
      ['cot', 'q2', '42', true],
      [STRATEGIES[2], 'q0', '30', true],
      [STRATEGIES[2], 'q1', '36', false],
      [STRATEGIES[2], 'q2', '42', true],
    ]);
    // 3 direct + 3 cot + 3 × 6 chains
    expect(samples).toHaveLength(24);
    expect(outcome.results[6].result.samples).toHaveLength(6);
    expect(outcome.results[6].result.votes.length).toBeGreaterThan(0);
    expect(outcome.results[0].latencyMs).toBeGreaterThanOrEqual(0);
    const counts = progress.map((p) => p.done);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ done: 9, total: 9, skipped: 0, samples: 24, remainingMs: 0 });
  });

  it('resumes after a stop mid-unit without generating any finished request again, and ends equal to an uninterrupted run', async () => {
    const uninterrupted = await runExperiment({ units: matrix(), generate: scriptedModel({ answers: ANSWERS, rowAnswers }).generate, format, maxNewTokens: 64 });

    const cache = new MemoryGenerationCache();
    const stored = new Map<string, UnitResult>();
    const controller = new AbortController();
    const requestsSeen: string[] = [];
    // Stop during the second call of the first self-consistency unit (call index 7: 3 direct + 3 cot + 1).
    const first = scriptedModel({
      answers: ANSWERS,
      rowAnswers,
      beforeReturn: (request, index) => {
        requestsSeen.push(JSON.stringify([request.prompt, request.n, request.sampling]));
        if (index === 7) controller.abort(new DOMException('paused', 'AbortError'));
      },
    });
    const stopped = await runExperiment({
      units: matrix(),
      generate: cachedGenerate(first.generate, cache, identity),
      format,
      maxNewTokens: 64,
      signal: controller.signal,
      onUnitDone: (unit) => void stored.set(unit.unitId, unit),
    });
    expect(stopped.status).toBe('aborted');
    expect([...stored.keys()]).toHaveLength(6);
    expect(cache.size).toBe(7); // the aborted call was not stored

    const second = scriptedModel({ answers: ANSWERS, rowAnswers, beforeReturn: (request) => void requestsSeen.push(JSON.stringify([request.prompt, request.n, request.sampling])) });
    const progress: RunProgress[] = [];
    const resumed = await runExperiment({
      units: matrix(),
      generate: cachedGenerate(second.generate, cache, identity),
      format,
      maxNewTokens: 64,
      isDone: (unit) => stored.has(unit.id),
      onUnitDone: (unit) => void stored.set(unit.unitId, unit),
      onProgress: (p) => progress.push(p),
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.results).toHaveLength(3);
    // 3 self-consistency units × 2 calls, less the resumed unit's first call, which came from the cache.
    expect(second.calls).toHaveLength(5);
    expect(resumed.results[0].cachedSamples).toBe(3);
    // Every request reached the model once, except the one that was aborted before it finished.
    const finishedRequests = requestsSeen.filter((_, i) => i !== 7);
    expect(new Set(finishedRequests).size).toBe(finishedRequests.length);
    expect(progress[0]).toMatchObject({ done: 1, skipped: 1 });
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, ...progress.slice(6).map((p) => p.done)]);

    const all = matrix().map((unit) => comparable(stored.get(unit.id) as UnitResult));
    expect(all).toEqual(uninterrupted.results.map(comparable));
  });

  it('cancel before the next unit returns aborted and reports nothing unfinished', async () => {
    const controller = new AbortController();
    const done: string[] = [];
    const outcome = await runExperiment({
      units: matrix(),
      generate: scriptedModel({ answers: ANSWERS }).generate,
      format,
      maxNewTokens: 64,
      signal: controller.signal,
      onUnitDone: (unit) => {
        done.push(unit.unitId);
        if (done.length === 2) controller.abort();
      },
    });
    expect(outcome.status).toBe('aborted');
    expect(done).toEqual(['direct|q0', 'direct|q1']);
    expect(outcome.progress.done).toBe(2);
  });

  it('counts a cached call with its original time in the unit latency', async () => {
    const cache = new MemoryGenerationCache();
    const units = buildMatrix(resolveStrategies(['cot']), PROBLEMS.slice(0, 1));
    const slowModel = scriptedModel({ answers: ANSWERS, totalMs: 400, beforeReturn: () => new Promise((resolve) => setTimeout(resolve, 5)) });
    await runExperiment({ units, generate: cachedGenerate(slowModel.generate, cache, identity), format, maxNewTokens: 64 });
    const rerun = await runExperiment({ units, generate: cachedGenerate(slowModel.generate, cache, identity), format, maxNewTokens: 64 });
    expect(slowModel.calls).toHaveLength(1);
    expect(rerun.results[0].cachedSamples).toBe(1);
    expect(rerun.results[0].latencyMs).toBe(400);
  });

  it('wraps a strategy failure with the unit it happened in', async () => {
    const units = buildMatrix(resolveStrategies(['direct']), [{ id: 'x', question: 'unscripted?', reference: '1' }]);
    const failure = runExperiment({ units, generate: scriptedModel({ answers: ANSWERS }).generate, format, maxNewTokens: 64 });
    await expect(failure).rejects.toBeInstanceOf(UnitFailedError);
    await expect(failure).rejects.toMatchObject({ unitId: 'direct|x', message: expect.stringContaining('no scripted answer') });
  });

  it('stops when persisting a finished unit fails (e.g. storage full)', async () => {
    const full = Object.assign(new Error('quota'), { name: 'StorageFullError' });
    const failure = runExperiment({
      units: matrix(),
      generate: scriptedModel({ answers: ANSWERS }).generate,
      format,
      maxNewTokens: 64,
      onUnitDone: () => Promise.reject(full),
    });
    await expect(failure).rejects.toBe(full);
  });
});
