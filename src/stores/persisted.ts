/**
 * Small pieces of UI state kept in localStorage across reloads (form fields, the device
 * choice). What is read back is untrusted (another version of the app, a hand edit): each
 * caller parses it field by field, and anything unreadable falls back to the defaults.
 */

/** The stored JSON under `key`, or undefined when there is none or it cannot be read. */
export function readStored(key: string): unknown {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined; // storage disabled or corrupt JSON: start from the defaults
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the state still applies to this session.
  }
}

/** The object's fields as unknowns, or an empty record for anything that is not an object. */
export function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringField(fields: Record<string, unknown>, name: string, fallback: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : fallback;
}

/** A finite number at least `min`, else the fallback. */
export function numberField(fields: Record<string, unknown>, name: string, fallback: number, min: number): number {
  const value = fields[name];
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

export function stringListField(fields: Record<string, unknown>, name: string, fallback: readonly string[]): string[] {
  const value = fields[name];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : [...fallback];
}
