/**
 * Small typed readers for untrusted JSON (an imported export file): each takes the value and
 * its path (`units[3].result.samples[0].tokens`) and returns a typed value or throws an
 * ImportParseError naming the path, so a bad file is rejected whole with a precise reason.
 */

export class ImportParseError extends Error {
  override readonly name = 'ImportParseError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path === '' ? reason : `${path}: ${reason}`);
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportParseError(path, `expected an object, found ${kindOf(value)}`);
  return value as JsonObject;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export function string(parent: JsonObject, key: string, path: string): string {
  const value = parent[key];
  if (typeof value !== 'string') throw new ImportParseError(join(path, key), `expected text, found ${kindOf(value)}`);
  return value;
}

export function number(parent: JsonObject, key: string, path: string): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ImportParseError(join(path, key), `expected a number, found ${kindOf(value)}`);
  return value;
}

export function integer(parent: JsonObject, key: string, path: string): number {
  const value = number(parent, key, path);
  if (!Number.isInteger(value)) throw new ImportParseError(join(path, key), `expected an integer, found ${value}`);
  return value;
}

export function boolean(parent: JsonObject, key: string, path: string): boolean {
  const value = parent[key];
  if (typeof value !== 'boolean') throw new ImportParseError(join(path, key), `expected true or false, found ${kindOf(value)}`);
  return value;
}

export function oneOf<T extends string>(parent: JsonObject, key: string, path: string, values: readonly T[]): T {
  const value = string(parent, key, path);
  if (!(values as readonly string[]).includes(value)) throw new ImportParseError(join(path, key), `expected one of ${values.join(', ')}, found "${value}"`);
  return value as T;
}

export function list<T>(parent: JsonObject, key: string, path: string, item: (value: unknown, path: string) => T): T[] {
  const value = parent[key];
  const at = join(path, key);
  if (!Array.isArray(value)) throw new ImportParseError(at, `expected a list, found ${kindOf(value)}`);
  return value.map((entry, index) => item(entry, `${at}[${index}]`));
}

export function child(parent: JsonObject, key: string, path: string): { value: JsonObject; path: string } {
  const at = join(path, key);
  return { value: object(parent[key], at), path: at };
}

/** Reads an optional key: absent or undefined gives undefined, anything else must pass `read`. */
export function optional<T>(parent: JsonObject, key: string, read: () => T): T | undefined {
  return parent[key] === undefined ? undefined : read();
}

/** `null` or what `read` gives. */
export function nullable<T>(parent: JsonObject, key: string, read: () => T): T | null {
  return parent[key] === null ? null : read();
}
