/**
 * Strategy settings written as text — `self-consistency:k=10,stop=esc`, `budgeted-cot:budget=0.5`
 * — parsed into typed settings and written back. The CLI's `--strategy` and the UI share it,
 * so the same keys mean the same things everywhere.
 */
import type { ParamSpec } from './params';
import {
  asRecord,
  isStrategyId,
  paramsOf,
  strategyEntry,
  strategyIds,
  type StrategyId,
  type StrategySetting,
} from './registry';

export class StrategySettingError extends Error {
  override readonly name = 'StrategySettingError';
}

type Value = number | string | boolean;

export function parseStrategySetting(text: string): StrategySetting {
  const trimmed = text.trim();
  if (trimmed === '') throw new StrategySettingError('empty strategy setting: expected name or name:key=value,…');
  const colon = trimmed.indexOf(':');
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  if (!isStrategyId(name)) {
    throw new StrategySettingError(`unknown strategy "${name}" in "${trimmed}" (strategies: ${strategyIds.join(', ')})`);
  }
  const specs = new Map(paramsOf(name));
  const values: Record<string, Value> = {};
  const body = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
  for (const pair of body === '' ? [] : body.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new StrategySettingError(`"${pair.trim()}" in "${trimmed}": expected key=value`);
    const key = pair.slice(0, eq).trim();
    const spec = specs.get(key);
    if (!spec) {
      throw new StrategySettingError(
        `${name} has no setting "${key}" (settings: ${[...specs.keys()].join(', ') || 'none'})`,
      );
    }
    if (Object.hasOwn(values, key)) throw new StrategySettingError(`${name}: setting "${key}" given twice`);
    const raw = pair.slice(eq + 1).trim();
    values[key] = parseValue(name, key, raw, spec);
    checkValue(`${name}: ${key}=${raw}`, spec, values[key]);
  }
  return settingFrom(name, values);
}

/**
 * Builds a validated setting from a strategy id and values (e.g. from a UI form); keys not given
 * take the strategy's defaults.
 */
export function settingFrom(id: StrategyId, values: Readonly<Record<string, Value>>): StrategySetting {
  const specs = new Map(paramsOf(id));
  for (const [key, value] of Object.entries(values)) {
    const spec = specs.get(key);
    if (!spec) throw new StrategySettingError(`${id} has no setting "${key}"`);
    checkValue(`${id}: ${key}=${String(value)}`, spec, value);
  }
  const entry = strategyEntry(id);
  const config = { ...entry.defaults, ...values };
  const problem = entry.validate?.(config);
  if (problem) throw new StrategySettingError(`${id}: ${problem}`);
  // Every value was checked against its key's spec, so the config has the strategy's type.
  return { id, config } as unknown as StrategySetting;
}

/** Text to a value of the spec's kind (range checks are `checkValue`'s). */
function parseValue(name: string, key: string, raw: string, spec: ParamSpec): Value {
  const where = `${name}: ${key}=${raw}`;
  if (raw === '') throw new StrategySettingError(`${name}: ${key} has no value`);
  if (spec.kind === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    throw new StrategySettingError(`${where}: expected true or false`);
  }
  if (spec.kind === 'enum') return raw;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) throw new StrategySettingError(`${where}: expected a number`);
  return Number(raw);
}

function checkValue(where: string, spec: ParamSpec, value: Value): void {
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new StrategySettingError(`${where}: expected true or false`);
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new StrategySettingError(`${where}: expected one of ${spec.values.join(', ')}`);
      }
      return;
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new StrategySettingError(`${where}: expected a number`);
      if (spec.kind === 'int' && !Number.isInteger(value)) throw new StrategySettingError(`${where}: expected an integer`);
      const exclusive = spec.kind === 'number' && spec.minInclusive === false;
      if (exclusive ? value <= spec.min : value < spec.min) {
        throw new StrategySettingError(`${where}: must be ${exclusive ? 'above' : 'at least'} ${spec.min}`);
      }
      if (spec.max !== undefined && value > spec.max) throw new StrategySettingError(`${where}: must be at most ${spec.max}`);
    }
  }
}

/** `name` or `name:key=value,…` with only the settings that differ from the defaults. */
export function formatStrategySetting(setting: StrategySetting): string {
  const defaults = asRecord(strategyEntry(setting.id).defaults);
  const config = asRecord(setting.config);
  const pairs = paramsOf(setting.id)
    .map(([key]) => key)
    .filter((key) => config[key] !== undefined && config[key] !== defaults[key])
    .map((key) => `${key}=${String(config[key])}`);
  return pairs.length === 0 ? setting.id : `${setting.id}:${pairs.join(',')}`;
}
