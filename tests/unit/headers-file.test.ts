import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile, readHeadersFile } from '../../tools/headers-file';

describe('_headers files', () => {
  it('parses paths, indented headers and comments; rules match by splat, later ones win', () => {
    const rules = parseHeadersFile(['# a comment', '/*', '  X-A: 1', '  X-B: two words', '', '/assets/*', '  # indented comment', '  X-B: 3', ''].join('\n'));
    expect(rules).toEqual([
      { pattern: '/*', headers: { 'X-A': '1', 'X-B': 'two words' } },
      { pattern: '/assets/*', headers: { 'X-B': '3' } },
    ]);
    expect(headersFor(rules, '/index.html')).toEqual({ 'X-A': '1', 'X-B': 'two words' });
    expect(headersFor(rules, '/assets/app.js')).toEqual({ 'X-A': '1', 'X-B': '3' });
    expect(headersFor(parseHeadersFile('/exact.html\n  X-C: 1\n'), '/exact.html.map')).toEqual({});
  });

  it('refuses what it would misread', () => {
    expect(() => parseHeadersFile('  X-A: 1\n')).toThrow(/line 1.*under a URL path/);
    expect(() => parseHeadersFile('/*\n  not a header\n')).toThrow(/line 2/);
    expect(() => parseHeadersFile('/posts/:id\n  X-A: 1\n')).toThrow(/line 1: expected a URL path/);
  });

  it("the app's public/_headers makes every path cross-origin isolated", () => {
    const rules = readHeadersFile(join(import.meta.dirname, '../../public/_headers'));
    for (const path of ['/', '/assets/inference.worker.js', '/models/served.json']) {
      expect(headersFor(rules, path)).toEqual({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    }
  });
});
