/**
 * The settings a strategy exposes to people (UI forms, CLI `name:key=value,…`), as data: each
 * key of a strategy's config that can be set has a spec with its type, bounds and label.
 */
import type { Strategy } from './types';

interface ParamBase {
  label: string;
  help?: string;
}

export type IntParam = ParamBase & { kind: 'int'; min: number; max?: number };
export type NumberParam = ParamBase & {
  kind: 'number';
  min: number;
  max?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
};
export type EnumParam<Value extends string = string> = ParamBase & { kind: 'enum'; values: readonly Value[] };
export type BooleanParam = ParamBase & { kind: 'boolean' };
export type ParamSpec = IntParam | NumberParam | EnumParam | BooleanParam;

/** The spec a config value of type T can have. */
type SpecFor<T> = [T] extends [boolean]
  ? BooleanParam
  : [T] extends [number]
    ? IntParam | NumberParam
    : [T] extends [string]
      ? EnumParam<T>
      : never;

/** Specs for the settable keys of a config; keys left out (e.g. exemplar lists) are code-only. */
export type ParamSpecs<Config> = {
  readonly [Key in keyof Config]?: SpecFor<NonNullable<Config[Key]>>;
};

/** A strategy as the registry holds it: the strategy plus the specs of its settings. */
export interface RegisteredStrategy<Config extends object> extends Strategy<Config> {
  readonly params: ParamSpecs<Config>;
  /** Checks across settings (e.g. batch ≤ k); returns a message, or null when fine. */
  validate?(config: Config): string | null;
}

export function defineStrategy<Config extends object>(strategy: RegisteredStrategy<Config>): RegisteredStrategy<Config> {
  return strategy;
}

/** Settings every sampling strategy shares, with the same keys everywhere. */
export const SAMPLING_PARAMS = {
  temperature: { kind: 'number', min: 0, max: 5, label: 'Temperature', help: '0 is greedy decoding' },
  topK: { kind: 'int', min: 1, label: 'Top-k' },
  topP: { kind: 'number', min: 0, max: 1, minInclusive: false, label: 'Top-p' },
  seed: { kind: 'int', min: 0, max: 2 ** 32 - 1, label: 'Seed' },
} as const satisfies Record<string, ParamSpec>;
