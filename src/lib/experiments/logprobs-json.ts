/**
 * Per-token logprobs in an export file. `TokenLogprobs` holds typed arrays, which JSON cannot
 * (JSON.stringify turns them into objects keyed "0", "1", …): they are written as plain number
 * lists — a float32 printed by JSON.stringify reads back to the identical float32 — with
 * -Infinity (a top-K slot past the vocabulary) written as null.
 */
import type { TokenLogprobs } from '../generate';
import { ImportParseError, integer, list, optional, type JsonObject } from './json-reader';

/** JSON.stringify replacer: typed arrays as number lists, non-finite numbers inside them as null. */
export function typedArraysAsLists(_key: string, value: unknown): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value, (x) => (Number.isFinite(x) ? x : null));
  if (value instanceof Int32Array) return Array.from(value);
  return value;
}

export function readLogprobs(value: JsonObject, path: string): TokenLogprobs {
  const topK = integer(value, 'topK', path);
  const floats = (key: string): Float32Array =>
    Float32Array.from(
      list(value, key, path, (entry, at) => {
        if (entry === null) return -Infinity;
        if (typeof entry !== 'number') throw new ImportParseError(at, 'expected a number or null');
        return entry;
      }),
    );
  const ints = (key: string): Int32Array =>
    Int32Array.from(
      list(value, key, path, (entry, at) => {
        if (typeof entry !== 'number' || !Number.isInteger(entry)) throw new ImportParseError(at, 'expected a whole number');
        return entry;
      }),
    );
  const strings = (key: string): string[] =>
    list(value, key, path, (entry, at) => {
      if (typeof entry !== 'string') throw new ImportParseError(at, 'expected a string');
      return entry;
    });
  const selfCertainties = optional(value, 'selfCertainties', () => floats('selfCertainties'));
  const read: TokenLogprobs = {
    tokenTexts: strings('tokenTexts'),
    tokenIds: ints('tokenIds'),
    logprobs: floats('logprobs'),
    sampledLogprobs: floats('sampledLogprobs'),
    entropies: floats('entropies'),
    topK,
    topIds: ints('topIds'),
    topTexts: strings('topTexts'),
    topLogprobs: floats('topLogprobs'),
    ...(selfCertainties ? { selfCertainties } : {}),
  };
  const count = read.tokenIds.length;
  const perToken = [read.tokenTexts, read.logprobs, read.sampledLogprobs, read.entropies, ...(selfCertainties ? [selfCertainties] : [])];
  if (perToken.some((array) => array.length !== count)) throw new ImportParseError(path, `per-token lists differ in length from tokenIds (${count})`);
  if ([read.topIds, read.topTexts, read.topLogprobs].some((array) => array.length !== count * topK)) {
    throw new ImportParseError(path, `top-K lists must hold tokens × topK = ${count * topK} entries`);
  }
  return read;
}
