/**
 * How many threads ONNX Runtime's WASM backend runs, and why. The inference worker applies it
 * (env.backends.onnx.wasm.numThreads); the page computes the same choice to show it, from the
 * same inputs: a dedicated worker shares its page's cross-origin isolation and core count.
 */

/**
 * Past this, more threads buy little: decoding one token reads every weight once, so the
 * memory bus, not the cores, runs out first; and each thread is a worker spinning while it waits.
 */
export const MAX_WASM_THREADS = 4;

export interface ThreadChoice {
  threads: number;
  /** Why, in words for the page. */
  reason: string;
}

/** The bits of the page's or worker's global scope the choice reads, so a test can pass a fake. */
export interface ThreadScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/**
 * When the page is cross-origin isolated: ONNX Runtime's own default, half the logical cores
 * (rounded up), at most MAX_WASM_THREADS; one thread otherwise (without isolation there is no
 * SharedArrayBuffer to share memory between threads). Not one per core: the thread pool waits at
 * every operator for its slowest thread, so a thread that shares a core with the page, the
 * worker's own JS or another tab costs more than it gives — on 2 cores, 2 threads were slower
 * than 1 in every run of BENCHMARKS.md §10c, and the first answer went from about 3.3 s to 5 s.
 */
export function chooseWasmThreads(scope: ThreadScope): ThreadChoice {
  if (scope.crossOriginIsolated !== true) {
    return {
      threads: 1,
      reason:
        'WASM runs on 1 thread: this page is not cross-origin isolated (it was served without the COOP/COEP headers of public/_headers), so WebAssembly cannot share memory between threads.',
    };
  }
  const cores = scope.navigator?.hardwareConcurrency ?? 1;
  const threads = Math.max(1, Math.min(Math.ceil(cores / 2), MAX_WASM_THREADS));
  return {
    threads,
    reason: `WASM runs on ${threads} thread${threads === 1 ? '' : 's'}: the page is cross-origin isolated, so ONNX Runtime may share memory between threads; it runs half the logical cores (this browser reports ${cores}), at most ${MAX_WASM_THREADS}.`,
  };
}
