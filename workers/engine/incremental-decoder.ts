/** Decodes a list of token ids to text. */
export type DecodeFn = (ids: readonly number[]) => string;

const REPLACEMENT_CHAR = '\uFFFD';

/**
 * Turns a stream of token ids into text pieces without emitting half a character.
 *
 * Byte-level tokenizers split one UTF-8 character over several tokens; decoding such a prefix
 * yields U+FFFD. Like text-generation-inference's detokenizer, we decode a short window
 * (`prefixOffset..`) and emit only the new suffix once it no longer ends in U+FFFD. Decoding a
 * window that starts one emission back (rather than the new token alone) keeps decoders that
 * treat the first token of a sequence specially (leading-space stripping) from altering text.
 */
export class IncrementalDecoder {
  readonly #decode: DecodeFn;
  readonly #ids: number[] = [];
  #prefixOffset = 0;
  #readOffset = 0;

  constructor(decode: DecodeFn) {
    // Tokenizers throw on an empty id list; an empty window is simply no text.
    this.#decode = (ids) => (ids.length === 0 ? '' : decode(ids));
  }

  /** Adds one token; returns the text it completes ('' while a character is still partial). */
  push(id: number): string {
    this.#ids.push(id);
    const prefix = this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    const full = this.#decode(this.#ids.slice(this.#prefixOffset));
    if (full.length <= prefix.length || full.endsWith(REPLACEMENT_CHAR)) return '';
    this.#prefixOffset = this.#readOffset;
    this.#readOffset = this.#ids.length;
    return full.slice(prefix.length);
  }

  /** Emits whatever is still held back (a truly broken character becomes U+FFFD) and resets. */
  flush(): string {
    const prefix = this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    const full = this.#decode(this.#ids.slice(this.#prefixOffset));
    this.#ids.length = 0;
    this.#prefixOffset = 0;
    this.#readOffset = 0;
    return full.length > prefix.length ? full.slice(prefix.length) : '';
  }
}
