/**
 * The engine's plain-data types, for code outside `workers/` that must not pull in the engine
 * (and with it Transformers.js). Type-only: nothing here reaches the bundle.
 */
export type { Device, Dtype, EngineInfo, LoadProgress } from '../../workers/engine/engine';
