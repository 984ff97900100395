import { describe, expect, it } from 'vitest';
import { formatStrategySetting, parseStrategySetting, settingFrom } from '../../src/lib/strategies/settings';
import { strategies, strategyIds } from '../../src/lib/strategies/registry';

describe('strategy settings text', () => {
  it('parses names and typed key=value settings over the defaults', () => {
    expect(parseStrategySetting('direct')).toEqual({ id: 'direct', config: strategies.direct.defaults });
    const sc = parseStrategySetting(' self-consistency:k=10, batch=10 ');
    expect(sc).toEqual({ id: 'self-consistency', config: { ...strategies['self-consistency'].defaults, k: 10, batch: 10 } });
    const esc = parseStrategySetting('self-consistency:k=20,stop=esc,temperature=0.7');
    expect(esc.config).toMatchObject({ k: 20, stop: 'esc', temperature: 0.7 });
  });

  it.each([
    ['', /empty strategy setting/],
    ['nope', /unknown strategy "nope".*strategies: direct, cot/],
    ['self-consistency:k', /"k" in .*expected key=value/],
    ['self-consistency:kk=3', /self-consistency has no setting "kk" \(settings: k, batch/],
    ['self-consistency:k=3,k=4', /"k" given twice/],
    ['self-consistency:k=ten', /k=ten: expected a number/],
    ['self-consistency:k=2.5', /k=2.5: expected an integer/],
    ['self-consistency:k=0', /k=0: must be at least 1/],
    ['self-consistency:stop=sometimes', /expected one of none, esc, beta/],
    ['self-consistency:topP=0', /topP=0: must be above 0/],
    ['self-consistency:temperature=0', /needs temperature > 0/],
    ['cot:temperature=', /temperature has no value/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseStrategySetting(text)).toThrowError(message);
  });

  it('writes settings back as text that parses to the same setting', () => {
    for (const id of strategyIds) expect(formatStrategySetting(parseStrategySetting(id))).toBe(id);
    const text = 'self-consistency:k=5,batch=5,temperature=0.6,stop=beta,threshold=0.9';
    expect(formatStrategySetting(parseStrategySetting(text))).toBe(text);
  });

  it('validates values given by a form', () => {
    expect(settingFrom('cot', { temperature: 0.5 }).config).toMatchObject({ temperature: 0.5 });
    expect(() => settingFrom('cot', { temperature: 'hot' })).toThrowError(/expected a number/);
    expect(() => settingFrom('cot', { k: 3 })).toThrowError(/cot has no setting "k"/);
  });

  it('gives every strategy a label, a cited description and defaults that pass its own checks', () => {
    for (const id of strategyIds) {
      const entry = strategies[id];
      expect(entry.id).toBe(id);
      expect(entry.label.length).toBeGreaterThan(0);
      expect(entry.description).toMatch(/\(\D*\d{4}\)|\d{4}\)/);
      expect(() => settingFrom(id, {})).not.toThrow();
    }
  });
});
