import type { FinishReason, TokenEvent } from '../../src/lib/generate';
import type { DecodeFn } from './incremental-decoder';
import { RowText } from './row-text';

export interface RowCutterOptions {
  decode: DecodeFn;
  eosIds: ReadonlySet<number>;
  stops: readonly string[];
  maxNewTokens: number;
  /** Text that ends thinking; null when the row starts in its answer (no thinking, or the prompt closed it). */
  endMarker: string | null;
}

/** What one row produced, for building its Sample. */
export interface RowOutcome {
  text: string;
  thinkingTokens: number;
  answerTokens: number;
  finishReason: FinishReason;
  budgetCut: boolean;
  /** Times the row was made to think on instead of ending its thinking (s1's "Wait"). */
  extensions: number;
  /**
   * Thinking tokens beyond what the row would have had, had its first attempt to end been let
   * through: its thinking tokens then plus the one token that would have ended it. 0 without extensions.
   */
  thinkingTokensAdded: number;
  firstTokenAtMs: number | null;
  lastTokenAtMs: number | null;
  endAtMs: number;
}

/**
 * Follows one row of a batch: counts its tokens per phase and decides when it is finished
 * (EOS, stop string, token limit, abort). Once finished it ignores further tokens — in a batch
 * the library keeps generating for finished rows until every row is done, and none of those
 * tokens may leak into the sample.
 *
 * Token accounting: every generated token counts, including the one that finished the row
 * (EOS or the token completing a stop string); forced text counts as none. The token that
 * completes `endMarker` is the last thinking token.
 */
export class RowCutter {
  readonly #options: RowCutterOptions;
  readonly #text: RowText;
  #phase: 'thinking' | 'answer';
  #markerSearchFrom = 0;
  #thinkingTokens = 0;
  #answerTokens = 0;
  #finish: FinishReason | null = null;
  #budgetCut = false;
  #extensions = 0;
  #thinkingTokensAtFirstExtension = 0;
  /** Forced tokens still to come through `accept` (a cut or an extension): they are neither text nor counted. */
  #forcedPending = 0;
  #firstTokenAtMs: number | null = null;
  #lastTokenAtMs: number | null = null;
  #endAtMs = 0;

  constructor(options: RowCutterOptions) {
    this.#options = options;
    this.#text = new RowText(options.decode, options.stops);
    this.#phase = options.endMarker === null ? 'answer' : 'thinking';
  }

  get done(): boolean {
    return this.#finish !== null;
  }

  /** Still thinking (no end marker yet) and not finished: the row a budget cut applies to. */
  get thinking(): boolean {
    return !this.done && this.#phase === 'thinking';
  }

  get tokens(): number {
    return this.#thinkingTokens + this.#answerTokens;
  }

  get extensions(): number {
    return this.#extensions;
  }

  /** Takes the row's next generated token; null when the row had already finished. */
  accept(id: number, atMs: number): TokenEvent | null {
    if (this.done) return null;
    if (this.#forcedPending > 0) {
      this.#forcedPending--;
      return null;
    }
    const phase = this.#phase;
    if (phase === 'thinking') this.#thinkingTokens++;
    else this.#answerTokens++;
    this.#firstTokenAtMs ??= atMs;
    this.#lastTokenAtMs = atMs;

    let text: string;
    if (this.#options.eosIds.has(id)) {
      text = this.#text.flush();
      this.#end('eos', atMs);
    } else {
      const { stream, stopped } = this.#text.push(id);
      text = stream;
      this.#noteEndMarker();
      if (stopped) this.#end('stop', atMs);
      else if (this.tokens >= this.#options.maxNewTokens) {
        text += this.#text.flush();
        this.#end('length', atMs);
      }
    }
    return { text, phase, atMs };
  }

  /**
   * Budget cut: ends thinking here and appends `forcedText`; the row continues with its answer.
   * `forcedTokens` is how many of the row's next tokens are that text being fed through the
   * model (see forced-tokens.ts): they are swallowed, not counted, not decoded again.
   */
  forceAnswer(forcedText: string, atMs: number, forcedTokens = 0): TokenEvent[] {
    const events = this.#force(forcedText, atMs, forcedTokens);
    this.#phase = 'answer';
    this.#budgetCut = true;
    return events;
  }

  /**
   * Think longer (s1): the row was about to end its thinking; `text` ("Wait") takes the place of
   * that token and the row stays in its thinking. `forcedTokens` as for `forceAnswer`.
   */
  extendThinking(text: string, atMs: number, forcedTokens: number): TokenEvent[] {
    if (this.#extensions === 0) this.#thinkingTokensAtFirstExtension = this.#thinkingTokens;
    this.#extensions++;
    return this.#force(text, atMs, forcedTokens);
  }

  #force(text: string, atMs: number, forcedTokens: number): TokenEvent[] {
    const events: TokenEvent[] = [];
    const held = this.#text.flush();
    if (held) events.push({ text: held, phase: this.#phase, atMs });
    this.#text.appendForced(text);
    events.push({ text, phase: 'forced', atMs });
    this.#forcedPending = forcedTokens;
    return events;
  }

  /** `stopWhen` ended the row after its latest token; returns text still held back. */
  terminate(atMs: number): TokenEvent | null {
    return this.close('terminated', atMs);
  }

  /** Ends an unfinished row (abort, or a batch that ended without it); returns text still held back. */
  close(reason: FinishReason, atMs: number): TokenEvent | null {
    if (this.done) return null;
    const text = this.#text.flush();
    this.#end(reason, atMs);
    return text ? { text, phase: this.#phase, atMs } : null;
  }

  outcome(): RowOutcome {
    if (this.#finish === null) throw new Error('RowCutter.outcome() before the row finished');
    return {
      text: this.#text.text,
      thinkingTokens: this.#thinkingTokens,
      answerTokens: this.#answerTokens,
      finishReason: this.#finish,
      budgetCut: this.#budgetCut,
      extensions: this.#extensions,
      thinkingTokensAdded: this.#extensions === 0 ? 0 : this.#thinkingTokens - (this.#thinkingTokensAtFirstExtension + 1),
      firstTokenAtMs: this.#firstTokenAtMs,
      lastTokenAtMs: this.#lastTokenAtMs,
      endAtMs: this.#endAtMs,
    };
  }

  #noteEndMarker(): void {
    const marker = this.#options.endMarker;
    if (this.#phase !== 'thinking' || marker === null) return;
    const text = this.#text.text;
    if (text.indexOf(marker, this.#markerSearchFrom) >= 0) this.#phase = 'answer';
    else this.#markerSearchFrom = Math.max(0, text.length - marker.length + 1);
  }

  #end(reason: FinishReason, atMs: number): void {
    this.#finish = reason;
    this.#endAtMs = atMs;
  }
}
