/**
 * Shared setup for the engine's model tests: the real embedded model in Node (onnxruntime-node).
 * THINKBENCH_ENGINE_MODEL_DIR points the tests at another folder of the same layout (used while
 * the embedded model is being retrained).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage, Prompt } from '../../src/lib/generate';
import { EMBEDDED_MODEL_DIR } from '../../workers/engine/node';

export const MODEL_DIR = process.env.THINKBENCH_ENGINE_MODEL_DIR ?? EMBEDDED_MODEL_DIR;

export interface ReferenceEntry {
  messages: ChatMessage[];
  enableThinking: boolean;
  promptText: string;
  promptIds: number[];
  maxNewTokens: number;
  generatedIds: number[];
  endedWithEos: boolean;
  text: string;
  minTop2LogitMargin: number;
}

export function readReference(): ReferenceEntry[] {
  const parsed: unknown = JSON.parse(readFileSync(join(MODEL_DIR, 'reference.json'), 'utf8'));
  if (!parsed || typeof parsed !== 'object' || !('entries' in parsed) || !Array.isArray(parsed.entries)) {
    throw new Error(`${MODEL_DIR}/reference.json has no entries array`);
  }
  return parsed.entries as ReferenceEntry[];
}

export function chatPrompt(entry: ReferenceEntry): Prompt {
  return { kind: 'chat', messages: entry.messages, enableThinking: entry.enableThinking };
}
