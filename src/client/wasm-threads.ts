/**
 * How many threads ONNX Runtime's WASM backend runs, and why. The inference worker applies it
 * (env.backends.onnx.wasm.numThreads); the page computes the same choice to show it, from the
 * same inputs: a dedicated worker shares its page's cross-origin isolation and core count.
 */

/**
 * Past this, more threads buy little: decoding one token reads every weight once, so the
 * memory bus, not the cores, runs out first; and each thread is a worker spinning while it waits.
 */
export const MAX_WASM_THREADS = 8;

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
 * One thread per logical core when the page is cross-origin isolated, up to MAX_WASM_THREADS;
 * one thread otherwise (without isolation there is no SharedArrayBuffer to share memory between
 * threads). ONNX Runtime's own default is half the cores, at most 4, to leave the page's main
 * thread free; inference here runs in its own worker, so it may use all of them.
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
  const threads = Math.max(1, Math.min(cores, MAX_WASM_THREADS));
  const capped = cores > MAX_WASM_THREADS ? `, at most ${MAX_WASM_THREADS}` : '';
  return {
    threads,
    reason: `WASM runs on ${threads} thread${threads === 1 ? '' : 's'}: the page is cross-origin isolated, so ONNX Runtime runs one thread per logical core (this browser reports ${cores}${capped}).`,
  };
}
