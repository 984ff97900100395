export type { ExtractedAnswer, ExtractionRule } from './types';
export { extractAnswer, type AnswerKind, type ExtractOptions } from './extract';
export { grade, inferAnswerKind, parseReference, sameAnswer, type GradeOptions, type GradeResult } from './grade';
export { canonicalNumber, canonicalNumberText, findNumbers, firstNumber, parseNumber, sameNumber, type FoundNumber } from './numbers';
