/** `bench --backend …` and `serve …` command lines: what they parse to, and the mistakes they name. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../cli/bench-args';
import { parseServeArgs } from '../../cli/serve';
import { UsageError } from '../../cli/io';

describe('bench --backend', () => {
  it('parses the server options; --model is then the server\'s model name', () => {
    process.env.THINKBENCH_TEST_KEY = 'sk-1';
    const options = parseBenchArgs(['--backend', 'http://127.0.0.1:8000/v1', '--model', 'Qwen/Qwen3-8B', '--api-key-env', 'THINKBENCH_TEST_KEY', '--concurrency', '8', '--format', 'prompted']);
    expect(options.backend).toEqual({ url: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen3-8B', apiKeyEnv: 'THINKBENCH_TEST_KEY', concurrency: 8, format: 'prompted' });
    expect(parseBenchArgs(['--backend', 'http://h/v1']).backend).toEqual({ url: 'http://h/v1', concurrency: 4 });
  });

  it('names each mistake', () => {
    const cases: [string[], RegExp][] = [
      [['--concurrency', '2'], /--concurrency needs --backend/],
      [['--backend', 'localhost:8000'], /http:\/\/ or https:\/\//],
      [['--backend', 'http://h/v1', '--concurrency', '0'], /at least 1/],
      [['--backend', 'http://h/v1', '--format', 'xml'], /think-tags or prompted/],
      [['--backend', 'http://h/v1', '--dtype', 'q8'], /--dtype and --model-id are for local models/],
      [['--backend', 'http://h/v1', '--api-key-env', 'THINKBENCH_SURELY_UNSET_VAR'], /is not set/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseBenchArgs(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseBenchArgs(argv)).toThrow(message);
    }
  });
});

describe('serve', () => {
  it('binds 127.0.0.1 on port 8000 unless told otherwise', () => {
    expect(parseServeArgs([])).toMatchObject({ host: '127.0.0.1', port: 8000, dtype: 'fp32', queue: 16 });
    expect(parseServeArgs(['--host', '0.0.0.0', '--port', '0', '--queue', '2'])).toMatchObject({ host: '0.0.0.0', port: 0, queue: 2 });
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/at most 65535/);
    expect(() => parseServeArgs(['--queue', '0'])).toThrow(/at least 1/);
  });
});
