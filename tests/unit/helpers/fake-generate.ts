/**
 * A scripted `Generate` for strategy tests. Each character is one token (like the embedded
 * character-level model), so budgets and limits are easy to state. The script returns the full
 * text each row would produce; the fake applies the request's thinking control (budget cut +
 * forced text + a scripted forced answer) and `maxNewTokens` the way the engine does.
 */
import type { Generate, GenerateRequest, Sample } from '../../../src/lib/generate';

export interface FakeCall {
  request: GenerateRequest;
  index: number;
}

export interface FakeOptions {
  /** Texts for the call's rows (one string is repeated for every row). */
  script: (call: FakeCall) => string | readonly string[];
  /** What the model says after a forced cut, given the kept thinking. Default `The answer is 0.` */
  afterCut?: (keptThinking: string, call: FakeCall) => string;
}

export interface FakeGenerate {
  generate: Generate;
  calls: GenerateRequest[];
}

export function fakeGenerate(options: FakeOptions): FakeGenerate {
  const calls: GenerateRequest[] = [];
  const generate: Generate = async (request) => {
    const call = { request, index: calls.length };
    calls.push(request);
    const scripted = options.script(call);
    const texts = typeof scripted === 'string' ? Array.from({ length: request.n }, () => scripted) : scripted;
    if (texts.length !== request.n) throw new Error(`script gave ${texts.length} rows for n=${request.n}`);
    return texts.map((text) => sampleFor(text, request, (kept) => (options.afterCut ?? (() => 'The answer is 0.'))(kept, call)));
  };
  return { generate, calls };
}

function sampleFor(text: string, request: GenerateRequest, afterCut: (kept: string) => string): Sample {
  const control = request.thinking;
  let out = text;
  let thinkingTokens = 0;
  let answerTokens = text.length;
  let budgetCut = false;
  let forcedLength = 0;
  if (control) {
    const end = text.indexOf(control.endMarker);
    const chainLength = end < 0 ? text.length : end + control.endMarker.length;
    if (control.budgetTokens !== undefined && chainLength > control.budgetTokens) {
      const kept = text.slice(0, control.budgetTokens);
      const forced = control.forcedText ?? '';
      const answer = afterCut(kept);
      out = kept + forced + answer;
      forcedLength = forced.length;
      thinkingTokens = kept.length;
      answerTokens = answer.length;
      budgetCut = true;
    } else {
      thinkingTokens = end < 0 ? text.length : chainLength;
      answerTokens = text.length - thinkingTokens;
    }
  }
  let finishReason: Sample['finishReason'] = 'eos';
  if (thinkingTokens + answerTokens > request.maxNewTokens) {
    // Cut at the limit: thinking first, then the answer.
    const keepThinking = Math.min(thinkingTokens, request.maxNewTokens);
    const keepAnswer = request.maxNewTokens - keepThinking;
    out = out.slice(0, keepThinking + (budgetCut ? forcedLength : 0) + keepAnswer);
    thinkingTokens = keepThinking;
    answerTokens = keepAnswer;
    finishReason = 'length';
  }
  const tokens = thinkingTokens + answerTokens;
  return {
    text: out,
    tokens,
    thinkingTokens,
    answerTokens,
    finishReason,
    budgetCut,
    timings: { promptTokens: 10, ttftMs: 1, prefillMs: 1, decodeMs: tokens, decodeTokensPerS: 1000, totalMs: tokens + 1 },
  };
}
