import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageMayConnectTo } from '../../src/lib/models/hub-url';

/** index.html's Content-Security-Policy, as directive → sources. */
function policy(): Map<string, string[]> {
  const html = readFileSync(join(import.meta.dirname, '../../index.html'), 'utf8');
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!content) throw new Error('index.html has no Content-Security-Policy meta tag');
  return new Map(
    content
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('the page Content-Security-Policy', () => {
  it('allows what the app needs and nothing inline for scripts', () => {
    const csp = policy();
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('worker-src')).toContain("'self'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
    // A meta policy cannot carry frame-ancestors (Chromium ignores it and logs an error).
    expect(csp.has('frame-ancestors')).toBe(false);
  });

  it('lets the page reach exactly the hub hosts the settings accept', () => {
    const connect = policy().get('connect-src') ?? [];
    expect(connect).toEqual(["'self'", 'https:', 'http://127.0.0.1:*', 'http://localhost:*']);
    expect(pageMayConnectTo('https://huggingface.co/')).toBe(true);
    expect(pageMayConnectTo('https://hf-mirror.com')).toBe(true);
    expect(pageMayConnectTo('http://127.0.0.1:8080')).toBe(true);
    expect(pageMayConnectTo('http://localhost:9000/')).toBe(true);
    expect(pageMayConnectTo('http://mirror.example.org')).toBe(false);
  });
});
