import { describe, expect, it } from 'vitest';
import { IncrementalDecoder } from '../../workers/engine/incremental-decoder';
import { partialStopSuffix, scanForStop, stopSearchStart } from '../../workers/engine/stop-strings';

describe('scanForStop', () => {
  it('finds the earliest of several stop strings', () => {
    expect(scanForStop('a\n\nQ: b', ['Q:', '\n\n'], 0)).toEqual({ stopAt: 1, safeEnd: 1 });
  });

  it('holds back a suffix that could still become a stop string', () => {
    expect(scanForStop('The answer\nQ', ['\nQ:'], 0)).toEqual({ stopAt: null, safeEnd: 10 });
    expect(scanForStop('The answer', ['\nQ:'], 0)).toEqual({ stopAt: null, safeEnd: 10 });
  });

  it('ignores stops that start before searchFrom', () => {
    expect(scanForStop('Q: then', ['Q:'], 1).stopAt).toBeNull();
  });
});

describe('partialStopSuffix', () => {
  it('is the longest proper prefix of any stop ending the text', () => {
    expect(partialStopSuffix('abc#', ['##', '#!#'])).toBe(1);
    expect(partialStopSuffix('ab#!', ['##', '#!#'])).toBe(2);
    expect(partialStopSuffix('ab', ['##'])).toBe(0);
  });
});

describe('stopSearchStart', () => {
  it('looks back one char less than the longest stop, never before the floor', () => {
    expect(stopSearchStart(10, ['abc', 'x'], 0)).toBe(8);
    expect(stopSearchStart(10, ['abc'], 9)).toBe(9);
    expect(stopSearchStart(1, ['abcdef'], 0)).toBe(0);
  });
});

describe('IncrementalDecoder', () => {
  // A byte-level "tokenizer": each id is one UTF-8 byte.
  const utf8 = new TextDecoder();
  const decodeBytes = (ids: readonly number[]): string => utf8.decode(Uint8Array.from(ids));
  const bytes = (text: string): number[] => [...new TextEncoder().encode(text)];

  it('emits a multi-byte character only once it is complete', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    const pieces = bytes('a€b').map((byte) => decoder.push(byte));
    expect(pieces).toEqual(['a', '', '', '€', 'b']);
  });

  it('flushes a broken character at the end as U+FFFD', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    const euro = bytes('€');
    expect(decoder.push(euro[0])).toBe('');
    expect(decoder.flush()).toBe('\uFFFD');
  });

  it('keeps text exact for decoders that strip a leading space on the first token', () => {
    // SentencePiece-like: '▁' is a space, except at the start of what is decoded.
    const vocab = ['▁The', '▁cat', '▁sat'];
    const decode = (ids: readonly number[]): string => ids.map((i) => vocab[i]).join('').replaceAll('▁', ' ').replace(/^ /, '');
    const decoder = new IncrementalDecoder(decode);
    expect([0, 1, 2].map((i) => decoder.push(i)).join('')).toBe('The cat sat');
  });
});
