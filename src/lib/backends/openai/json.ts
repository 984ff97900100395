/**
 * Readers for untrusted JSON from a server: each returns a typed value or a fallback, so the
 * wire parsers (wire.ts) state what they accept in one line per field.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const inner = field(value, key);
  return typeof inner === 'string' ? inner : undefined;
}

export function numberField(value: unknown, key: string): number | undefined {
  const inner = field(value, key);
  return typeof inner === 'number' && Number.isFinite(inner) ? inner : undefined;
}

export function arrayField(value: unknown, key: string): readonly unknown[] {
  const inner = field(value, key);
  return Array.isArray(inner) ? inner : [];
}
