/**
 * The wire format between the page and the inference worker, in one place both sides import.
 *
 * Every method is one entry of `Methods`: its params, its result and the events it may stream
 * before the result. Requests, replies and events are derived from that map, so adding a method
 * (e.g. the experiments' `runStrategy`) is one entry here plus one handler in the worker — the
 * worker's handler table is typed `{ [M in MethodName]: … }`, so a missing handler is a type error.
 *
 * Invariants: every request gets exactly one reply (`result` or `error`), matched by `id`;
 * events carry the id of the request that produced them and always precede its reply.
 */
import type { GenerateRequest, Sample, TokenEvent } from '../lib/generate';
import type { Device, Dtype, EngineInfo, LoadProgress } from './engine-types';

export type { Device, Dtype, EngineInfo, LoadProgress };

export interface LoadParams {
  modelId: string;
  device: Device;
  dtype: Dtype;
  /** Where local models are served from, e.g. `/models/`. */
  localModelPath: string;
  /** False in offline mode: no request may leave the page's origin. */
  allowRemoteModels: boolean;
  remoteHost?: string;
  /** Whether Transformers.js may read and fill Cache Storage (false for models the app serves). */
  useBrowserCache: boolean;
}

/**
 * A `GenerateRequest` as plain data: the signal becomes an `abort` request, tokens become events.
 * `stopWhen` is code and cannot cross: strategies that use it run inside the worker.
 */
export type GenerateParams = Omit<GenerateRequest, 'signal' | 'onToken' | 'stopWhen'>;

export interface TokenStreamEvent {
  row: number;
  token: TokenEvent;
}

export interface Methods {
  load: { params: LoadParams; result: EngineInfo; event: LoadProgress };
  generate: { params: GenerateParams; result: Sample[]; event: TokenStreamEvent };
  /** Asks the request `targetId` to stop; that request still replies, with what it produced. */
  abort: { params: { targetId: number }; result: { found: boolean }; event: never };
  unload: { params: Record<string, never>; result: null; event: never };
}

export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = Methods[M]['params'];
export type ResultOf<M extends MethodName> = Methods[M]['result'];
export type EventOf<M extends MethodName> = Methods[M]['event'];

/** An error as it crosses the boundary; `name` is what the UI switches on. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** The model and file involved, when known, so the UI can name them. */
  modelId?: string;
  file?: string;
  /** A way forward specific to this failure. */
  hint?: string;
}

export type WorkerRequest = {
  [M in MethodName]: { kind: 'request'; id: number; method: M; params: ParamsOf<M> };
}[MethodName];

export type WorkerMessage =
  | { [M in MethodName]: { kind: 'event'; id: number; method: M; event: EventOf<M> } }[MethodName]
  | { [M in MethodName]: { kind: 'result'; id: number; method: M; result: ResultOf<M> } }[MethodName]
  | { kind: 'error'; id: number; method: MethodName; error: WireError };
