/**
 * Reads a `_headers` file (the format Netlify and Cloudflare Pages read from a site's build
 * output): a URL pattern on its own line, then indented `Name: value` lines, `#` for comments.
 * The app's public/_headers is the one place its response headers are written; the Vite dev and
 * preview servers and the e2e static server apply it through here.
 */
import { readFileSync } from 'node:fs';

export interface HeaderRule {
  /** A URL path; `*` matches any run of characters (Netlify's "splat"). */
  pattern: string;
  headers: Record<string, string>;
}

export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      // Placeholders (`/:name`) are part of the format but unused here; refuse rather than misread them.
      if (!trimmed.startsWith('/') || trimmed.includes(':')) throw new Error(`_headers line ${index + 1}: expected a URL path, got "${trimmed}"`);
      rules.push({ pattern: trimmed, headers: {} });
      continue;
    }
    const header = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(trimmed);
    const rule = rules[rules.length - 1];
    if (!rule || !header) throw new Error(`_headers line ${index + 1}: expected "Name: value" under a URL path, got "${trimmed}"`);
    rule.headers[header[1]] = header[2];
  }
  return rules;
}

export function readHeadersFile(path: string): HeaderRule[] {
  return parseHeadersFile(readFileSync(path, 'utf8'));
}

function matches(pattern: string, path: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(path);
}

/** The headers for a URL path: every matching rule's, later rules overriding earlier ones. */
export function headersFor(rules: readonly HeaderRule[], path: string): Record<string, string> {
  return Object.assign({}, ...rules.filter((rule) => matches(rule.pattern, path)).map((rule) => rule.headers));
}
