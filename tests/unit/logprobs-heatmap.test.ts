import { describe, expect, it } from 'vitest';
import { heatCells, heatColor } from '../../src/lib/logprobs/heatmap';

describe('token confidence heatmap cells', () => {
  it('splits thinking from answer, gives each token its raw probability and its alternatives', () => {
    const cells = heatCells(
      {
        tokenTexts: ['6', '8', '5'],
        tokenIds: Int32Array.from([29, 31, 28]),
        logprobs: Float32Array.from([Math.log(0.5), 0, Math.log(0.25)]),
        sampledLogprobs: new Float32Array(3),
        entropies: Float32Array.from([0.69, 0, 1.2]),
        topK: 2,
        topIds: Int32Array.from([29, 30, 31, 0, 27, 28]),
        topTexts: ['6', '7', '8', '!', '4', '5'],
        topLogprobs: Float32Array.from([Math.log(0.5), Math.log(0.4), 0, -Infinity, Math.log(0.7), Math.log(0.25)]),
      },
      2,
    );
    expect(cells.map((c) => c.phase)).toEqual(['thinking', 'thinking', 'answer']);
    expect(cells[0].probability).toBeCloseTo(0.5, 6);
    expect(cells[0].alternatives).toBe('p = 50.0%, entropy 0.69 nats · "6" 50.0% · "7" 40.0%');
    // A -Infinity alternative (past the vocabulary) is not listed.
    expect(cells[1].alternatives).toBe('p = 100.00%, entropy 0.00 nats · "8" 100.00%');
    expect(heatColor(1)).toBe('rgba(220, 60, 40, 0.000)');
    expect(heatColor(0.25)).toBe('rgba(220, 60, 40, 0.637)');
  });
});
