export type { ExtractedAnswer, ExtractionRule } from './types';
export { extractAnswer, inspectAnswer, type AnswerKind, type AnswerReading, type ExtractOptions, type NoAnswerReason } from './extract';
export { inspectFinalAnswer, splitThinking, THINK_TAG_PAIR, type ThinkSplit, type ThinkTags } from './final-answer';
export { grade, inferAnswerKind, parseReference, sameAnswer, type GradeOptions, type GradeResult } from './grade';
export { canonicalNumber, canonicalNumberText, findNumbers, firstNumber, numberAt, parseNumber, sameNumber, type FoundNumber } from './numbers';
