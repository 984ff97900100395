/**
 * A scripted `Generate` for strategy tests. Each character is one token (like the embedded
 * character-level model), so budgets and limits are easy to state. The script returns the full
 * text each row would produce; the fake applies the request's thinking control (budget cut +
 * forced text + a scripted forced answer) and `maxNewTokens` the way the engine does.
 */
import type { Generate, GenerateRequest, Sample, TokenLogprobs } from '../../../src/lib/generate';

export interface FakeCall {
  request: GenerateRequest;
  index: number;
}

export interface FakeOptions {
  /** Texts for the call's rows (one string is repeated for every row). */
  script: (call: FakeCall) => string | readonly string[];
  /** What the model says after a forced cut, given the kept thinking. Default `The answer is 0.` */
  afterCut?: (keptThinking: string, call: FakeCall) => string;
  /**
   * Per-token confidence of a row's text (one value per character), for requests that ask for
   * logprobs. Default 1 everywhere. The fake builds `TokenLogprobs` whose DeepConf confidence
   * (minus the mean top-K logprob) is exactly this, and runs `stopWhen` after each token.
   */
  confidence?: (text: string, row: number, call: FakeCall) => readonly number[];
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
    return texts.map((text, row) => {
      const sample = sampleFor(text, request, (kept) => (options.afterCut ?? (() => 'The answer is 0.'))(kept, call));
      if (!request.logprobs) return sample;
      const confidences = options.confidence?.(sample.text, row, call) ?? Array.from(sample.text, () => 1);
      return withLogprobs(sample, row, request, confidences.slice(0, sample.tokens));
    });
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

/**
 * Gives a sample scripted logprobs and applies `stopWhen`: token i gets K alternatives all at
 * -confidence[i] (so DeepConf's top-K confidence is exact) and, with K = 0, chosen logprob
 * confidence[i] (the K = 0 confidence); otherwise the chosen logprob is -confidence[i] too;
 * entropy and self-certainty are set to confidence[i] too. Text is one character per token.
 */
function withLogprobs(sample: Sample, row: number, request: GenerateRequest, confidences: readonly number[]): Sample {
  const k = request.logprobs?.topK ?? 0;
  let tokens = sample.tokens;
  let finishReason = sample.finishReason;
  const seen = new Float32Array(confidences);
  for (let i = 0; i < sample.tokens - 1 && request.stopWhen; i++) {
    if (request.stopWhen(row, { tokens: i + 1, confidences: seen.subarray(0, i + 1) })) {
      tokens = i + 1;
      finishReason = 'terminated';
      break;
    }
  }
  const values = confidences.slice(0, tokens);
  const logprobs: TokenLogprobs = {
    tokenTexts: Array.from(sample.text.slice(0, tokens)),
    tokenIds: Int32Array.from(values, (_, i) => sample.text.charCodeAt(i)),
    logprobs: Float32Array.from(values, (c) => (k === 0 ? c : -c)),
    sampledLogprobs: Float32Array.from(values, (c) => -c),
    entropies: Float32Array.from(values),
    topK: k,
    topIds: new Int32Array(values.length * k),
    topTexts: Array.from({ length: values.length * k }, () => '?'),
    topLogprobs: Float32Array.from({ length: values.length * k }, (_, j) => -values[Math.floor(j / k)]),
    selfCertainties: Float32Array.from(values),
  };
  if (tokens === sample.tokens) return { ...sample, logprobs };
  const thinkingTokens = Math.min(sample.thinkingTokens, tokens);
  return {
    ...sample,
    text: sample.text.slice(0, tokens),
    tokens,
    thinkingTokens,
    answerTokens: tokens - thinkingTokens,
    finishReason,
    logprobs,
  };
}
