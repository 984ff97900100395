import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPull } from '../../cli/pull';
import { startFakeHub, type FakeHub } from '../fixtures/hub/fake-hub';
import { tinyRepo } from '../fixtures/hub/tiny-repo';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const repos = {
  'test/tiny': tinyRepo(),
  'test/external': tinyRepo({ externalData: true }),
  'test/vision': tinyRepo({ modelType: 'qwen2_vl' }),
  'test/billion-chunks': tinyRepo({ externalDataFormat: 1e9 }),
  'test/no-tokenizer': (() => {
    const repo = tinyRepo();
    delete repo['tokenizer.json'];
    return repo;
  })(),
};

let hub: FakeHub;
let outDir: string;

beforeAll(async () => {
  hub = await startFakeHub(repos);
});
afterAll(async () => {
  await hub.close();
});
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'thinkbench-pull-'));
  hub.requests.length = 0;
  hub.faults.clear();
});
afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function pull(args: string[], idleTimeoutMs?: number): Promise<{ code: number; stderr: string; stdout: string }> {
  const stderr = new Capture();
  const stdout = new Capture();
  const code = await runPull([...args, '--out-dir', outDir], { endpoint: hub.endpoint, stderr, stdout, idleTimeoutMs });
  return { code, stderr: stderr.text, stdout: stdout.text };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const modelDir = (id: string) => join(outDir, ...id.split('/'));

describe('thinkbench pull against a fake hub', () => {
  it('downloads config, tokenizer and the dtype\'s weights, byte for byte', async () => {
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(modelDir('test/tiny'));
    expect(await listFiles(modelDir('test/tiny'))).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/model_q4.onnx',
      'pull-manifest.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const onnx = await readFile(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'));
    expect(onnx.equals(Buffer.from(repos['test/tiny']['onnx/model_q4.onnx'].content))).toBe(true);
    expect(result.stderr).toMatch(/onnx\/model_q4\.onnx: .* downloaded, sha256 verified/);
  });

  it('fetches external data chunks that config.json declares', async () => {
    const result = await pull(['test/external', '--dtype', 'q4']);
    expect(result.code).toBe(0);
    const data = await readFile(join(modelDir('test/external'), 'onnx/model_q4.onnx_data'));
    expect(data.equals(Buffer.from(repos['test/external']['onnx/model_q4.onnx_data'].content))).toBe(true);
  });

  it('resumes with a Range request after the connection drops mid-file', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { dropAfterBytes: 150_000 });
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Resuming onnx\/model_q4\.onnx .*retry 1\/3/);
    const resumed = hub.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/') && r.range);
    expect(resumed).toHaveLength(1);
    const from = Number(/bytes=(\d+)-/.exec(resumed[0].range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(150_000);
    expect(resumed[0].status).toBe(206);
    const onnx = await readFile(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'));
    expect(onnx.equals(Buffer.from(repos['test/tiny']['onnx/model_q4.onnx'].content))).toBe(true);
  });

  it('continues a .part left by an interrupted earlier run', async () => {
    const content = Buffer.from(repos['test/tiny']['onnx/model_q4.onnx'].content);
    await mkdir(join(modelDir('test/tiny'), 'onnx'), { recursive: true });
    await writeFile(join(modelDir('test/tiny'), 'onnx/model_q4.onnx.part'), content.subarray(0, 1000));
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/resumed from 1000 B/);
    expect(hub.requests.some((r) => r.range === 'bytes=1000-' && r.status === 206)).toBe(true);
    expect((await readFile(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).equals(content)).toBe(true);
  });

  it('rejects a file whose size differs from what the hub announced, and leaves nothing as complete', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { extraBytes: 7 });
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DownloadVerificationError: .*kept sending past the announced 300000 bytes/);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).toBe(false);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx.part'))).toBe(false);
    expect(existsSync(join(modelDir('test/tiny'), 'pull-manifest.json'))).toBe(false);
  });

  it('stops reading at the announced size when a mirror never stops sending', async () => {
    const key = 'test/tiny/onnx/model_q4.onnx';
    hub.faults.set(key, { endlessUpToBytes: 64 * 1024 * 1024 });
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DownloadVerificationError: .*kept sending past the announced 300000 bytes; stopped there/);
    // The old code read (and wrote to disk) everything the mirror sent before checking the size.
    expect(hub.bytesSent.get(key)).toBeLessThan(8 * 1024 * 1024);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).toBe(false);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx.part'))).toBe(false);
  });

  it.each(['config.json', 'onnx/model_q4.onnx'])('gives up with a clear error when %s drips one byte at a time', async (path) => {
    hub.faults.set(`test/tiny/${path}`, { dripMs: 20 });
    const started = Date.now();
    const result = await pull(['test/tiny', '--dtype', 'q4'], 400);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DownloadStalled: .*the server sent \d+ bytes in the last 0\.4 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).toBe(false);
    if (path.endsWith('.onnx')) {
      // What arrived is kept: running the command again resumes from it.
      expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx.part'))).toBe(true);
    }
  }, 20_000);

  it('refuses a config declaring more than 100 external data chunks, before any weights', async () => {
    const result = await pull(['test/billion-chunks', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/InvalidHubResponse: .*declares 1000000000 external data chunks; .*more than 100/);
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/'))).toBe(false);
  });

  it('rejects a malformed model id with exit code 2, before asking the hub', async () => {
    for (const id of ['not-an-id', 'a/b/c', '../etc/passwd']) {
      const result = await pull([id]);
      expect(result.code, id).toBe(2);
      expect(result.stderr).toMatch(/is not a hub model id; expected owner\/name/);
      expect(result.stderr).toMatch(/Usage: thinkbench pull/);
    }
    expect(hub.requests).toHaveLength(0);
  });

  it('rejects a file whose sha256 differs from the hub\'s LFS etag', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { flipByte: true });
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DownloadVerificationError: .*sha256 [0-9a-f]{64} does not match/);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).toBe(false);
  });

  it('names the missing file when the hub answers 404', async () => {
    const result = await pull(['test/no-tokenizer', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HubFileNotFound: File not found on the hub: .*\/test\/no-tokenizer\/resolve\/main\/tokenizer\.json \(404\)/);
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/'))).toBe(false); // refused before any weights
  });

  it('says which dtypes exist when the requested one is not published', async () => {
    const result = await pull(['test/tiny', '--dtype', 'fp16']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/publishes no fp16 weights \(available: q8, q4\)/);
  });

  it('refuses an unsupported architecture before downloading anything', async () => {
    const result = await pull(['test/vision']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/UnsupportedModelError: test\/vision: model_type "qwen2_vl" is a vision-language/);
    expect(hub.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual(['/test/vision/resolve/main/config.json']);
    expect(existsSync(modelDir('test/vision'))).toBe(false);
  });

  it('reports a full disk clearly and leaves no complete-looking file', async () => {
    // /dev/full accepts an open and fails every write with ENOSPC, like a full disk.
    await mkdir(join(modelDir('test/tiny'), 'onnx'), { recursive: true });
    await symlink('/dev/full', join(modelDir('test/tiny'), 'onnx/model_q4.onnx.part'));
    const result = await pull(['test/tiny', '--dtype', 'q4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/StorageFullError: Disk full while writing .*model_q4\.onnx/);
    expect(existsSync(join(modelDir('test/tiny'), 'onnx/model_q4.onnx'))).toBe(false);
  });

  it('rejects bad arguments with exit code 2 and the usage', async () => {
    const result = await pull(['--dtype', 'int3', 'test/tiny']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown dtype "int3"/);
    expect(result.stderr).toMatch(/Usage: thinkbench pull/);
  });
});

describe('the real `thinkbench pull` process with HF_ENDPOINT', () => {
  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['bin/thinkbench.mjs', 'pull', ...args, '--out-dir', outDir],
        { env: { ...process.env, HF_ENDPOINT: hub.endpoint }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('exits non-zero with a clear message for an unknown id, having asked the fake hub', async () => {
    const result = await cli(['nobody/nothing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HubRepoNotFound: Model "nobody\/nothing" was not found on the hub/);
    expect(hub.requests.map((r) => r.path)).toContain('/nobody/nothing/resolve/main/config.json');
    expect(existsSync(modelDir('nobody/nothing'))).toBe(false);
  });

  it('pulls a model from the host HF_ENDPOINT names', async () => {
    const result = await cli(['test/tiny', '--dtype=q8']);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const onnx = await readFile(join(modelDir('test/tiny'), 'onnx/model_quantized.onnx'));
    expect(onnx.equals(Buffer.from(repos['test/tiny']['onnx/model_quantized.onnx'].content))).toBe(true);
  });
});
