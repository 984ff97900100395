import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, MAX_WASM_THREADS } from '../../src/client/wasm-threads';

describe('chooseWasmThreads', () => {
  it('runs one thread without cross-origin isolation, whatever the cores, and names the headers', () => {
    for (const cores of [1, 2, 16]) {
      const choice = chooseWasmThreads({ crossOriginIsolated: false, navigator: { hardwareConcurrency: cores } });
      expect(choice.threads).toBe(1);
      expect(choice.reason).toMatch(/not cross-origin isolated.*COOP\/COEP/);
    }
    expect(chooseWasmThreads({ navigator: { hardwareConcurrency: 8 } }).threads).toBe(1);
  });

  it('runs half the cores (rounded up) when isolated, up to the cap, and says so', () => {
    expect(chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toEqual({
      threads: 1,
      reason: `WASM runs on 1 thread: the page is cross-origin isolated, so ONNX Runtime may share memory between threads; it runs half the logical cores (this browser reports 2), at most ${MAX_WASM_THREADS}.`,
    });
    expect(chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 3 } }).threads).toBe(2);
    expect(chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 6 } }).threads).toBe(3);
    const many = chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 32 } });
    expect(many.threads).toBe(MAX_WASM_THREADS);
    expect(many.reason).toContain('this browser reports 32');
  });

  it('runs one thread when the core count is unknown or one', () => {
    expect(chooseWasmThreads({ crossOriginIsolated: true }).threads).toBe(1);
    expect(chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 1 } }).reason).toMatch(/^WASM runs on 1 thread:/);
  });
});
