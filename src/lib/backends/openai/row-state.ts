/**
 * One generated row as its deltas arrive: its text (reasoning sent in a separate field is put
 * back between think tags, so `Sample.text` looks as the local engine's does), its phase
 * (thinking until the end marker has appeared), counts, times and logprobs.
 *
 * Token counts: a server reports usage for the whole call, not per choice. A row's tokens are
 * its non-empty deltas (vLLM, SGLang, llama.cpp and `thinkbench serve` send one per token), or
 * its logprob entries when there are more of those (exact, when logprobs were asked for).
 */
import type { TokenEvent } from '../../generate';
import type { ChoiceDelta, WireTokenLogprob } from './wire';

const THINK_OPEN = '<think>';

export class RowState {
  text = '';
  deltas = 0;
  thinkingDeltas = 0;
  finishReason: string | null = null;
  stopReason: string | null = null;
  readonly logprobs: WireTokenLogprob[] = [];
  firstAtMs: number | null = null;
  lastAtMs: number | null = null;
  #inSeparateReasoning = false;
  #thinkingDone: boolean;

  constructor(
    /** Where thinking ends (`</think>`, `Answer:`); undefined = no thinking phase. */
    readonly endMarker: string | undefined,
    /** Text already generated before this call (a continuation), counted for the phase. */
    prefix = '',
  ) {
    this.#thinkingDone = endMarker === undefined || prefix.includes(endMarker);
    this.#prefix = prefix;
  }

  readonly #prefix: string;

  get thinkingDone(): boolean {
    return this.#thinkingDone;
  }

  /** The text pieces this delta adds, as token events (without `atMs`, which the caller adds). */
  push(delta: ChoiceDelta, atMs: number): Omit<TokenEvent, 'atMs'>[] {
    const events: Omit<TokenEvent, 'atMs'>[] = [];
    const tokensHere = delta.content !== '' || delta.reasoning !== '' ? 1 : 0;
    this.logprobs.push(...delta.logprobs);
    if (delta.reasoning !== '') {
      const piece = (this.#inSeparateReasoning ? '' : THINK_OPEN) + delta.reasoning;
      this.#inSeparateReasoning = true;
      this.text += piece;
      events.push({ text: piece, phase: 'thinking' });
    }
    let contentPhase: TokenEvent['phase'] | null = null;
    if (delta.content !== '') {
      if (this.#inSeparateReasoning) {
        // The server separated the reasoning: its end marker is ours to put back, and is no token.
        const close = this.endMarker ?? '</think>';
        this.#inSeparateReasoning = false;
        this.text += close;
        this.#thinkingDone = true;
        events.push({ text: close, phase: 'thinking' });
      }
      contentPhase = this.#thinkingDone ? 'answer' : 'thinking';
      this.text += delta.content;
      if (!this.#thinkingDone && this.endMarker !== undefined && (this.#prefix + this.text).includes(this.endMarker)) this.#thinkingDone = true;
      events.push({ text: delta.content, phase: contentPhase });
    }
    if (tokensHere > 0) {
      this.deltas += tokensHere;
      if (delta.reasoning !== '' || contentPhase === 'thinking') this.thinkingDeltas += tokensHere;
      this.firstAtMs ??= atMs;
      this.lastAtMs = atMs;
    }
    if (delta.finishReason !== null) this.finishReason = delta.finishReason;
    if (delta.stopReason !== null) this.stopReason = delta.stopReason;
    return events;
  }

  /** Text appended at a budget cut (no token of the model's): thinking is over. */
  force(text: string): void {
    this.text += text;
    this.#thinkingDone = true;
  }

  /** A reasoning-only answer (no content yet) still closes its think block. */
  close(): string {
    if (!this.#inSeparateReasoning) return '';
    this.#inSeparateReasoning = false;
    const piece = this.endMarker ?? '</think>';
    this.text += piece;
    return piece;
  }
}
