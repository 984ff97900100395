import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/lib/experiments/csv-cell';
import { readCsv } from '../../src/lib/datasets/records';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+cmd', "'+1+cmd"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['-', "'-"],
  ])('neutralises a formula start in %j with a leading quote', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it.each([['-5'], ['+3.5'], ['-1e3'], ['42'], ['plain text'], ['a=b']])('leaves %j as written', (text) => {
    expect(csvCell(text)).toBe(text);
  });

  it('writes numbers, booleans and null as values, negative numbers included', () => {
    expect(csvLine([-3, 0.5, true, null, 'x'])).toBe('-3,0.5,true,,x');
  });

  it('quotes per RFC 4180 and reads back to the neutralised text', () => {
    const line = csvLine(['=1+1, "two"\nthree', 'ok']);
    const [row] = readCsv(`a,b\r\n${line}\r\n`);
    expect(row.record).toEqual({ a: `'=1+1, "two"\nthree`, b: 'ok' });
  });
});
