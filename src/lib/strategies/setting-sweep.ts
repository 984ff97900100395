/**
 * A sweep written as one setting: `budgeted-cot:budget=0.25|0.5|0.75|1` stands for four
 * settings, one per value, so an experiment can hold a whole accuracy-against-budget curve
 * without typing each row. Only one key may list values: a grid of two swept keys multiplies
 * the run's cost quietly, and is better spelled out row by row.
 */
import { formatStrategySetting, parseStrategySetting, StrategySettingError } from './settings';

/** The settings a text stands for, each checked by the parser and written canonically; a text without `|` is itself. */
export function expandSettingSweep(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.includes('|')) return [trimmed];
  const colon = trimmed.indexOf(':');
  if (colon < 0) throw new StrategySettingError(`"${trimmed}": only setting values can list alternatives (key=a|b|c)`);
  const name = trimmed.slice(0, colon);
  const pairs = trimmed.slice(colon + 1).split(',');
  const swept = pairs.map((pair, index) => ({ pair, index })).filter(({ pair }) => pair.includes('|'));
  if (swept.length > 1) throw new StrategySettingError(`"${trimmed}": only one setting may list several values`);
  const [{ pair, index }] = swept;
  const eq = pair.indexOf('=');
  if (eq < 0) throw new StrategySettingError(`"${pair.trim()}" in "${trimmed}": expected key=value|value…`);
  const key = pair.slice(0, eq).trim();
  const values = pair.slice(eq + 1).split('|').map((value) => value.trim());
  if (values.some((value) => value === '')) throw new StrategySettingError(`"${trimmed}": ${key} has an empty value in its list`);
  const expanded = values.map((value) => {
    const body = pairs.map((other, i) => (i === index ? `${key}=${value}` : other)).join(',');
    return formatStrategySetting(parseStrategySetting(`${name}:${body}`));
  });
  const duplicate = expanded.find((setting, i) => expanded.indexOf(setting) !== i);
  if (duplicate !== undefined) throw new StrategySettingError(`"${trimmed}": ${duplicate} is listed twice`);
  return expanded;
}
