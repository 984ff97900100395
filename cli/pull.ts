import { mkdir, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseDtype, findEntry, formatBytes } from '../src/lib/models/catalog';
import { inspectHubModel } from '../src/lib/models/custom-model';
import { isModelDtype, type ModelDtype } from '../src/lib/models/dtype';
import { HubError } from '../src/lib/models/hub-errors';
import { globalFetch, headFile, type FetchLike, type FileMetadata } from '../src/lib/models/hub-metadata';
import { DEFAULT_HUB_ENDPOINT, isValidHubId, resolveUrl } from '../src/lib/models/hub-url';
import { externalDataPaths, modelFiles, type ModelFile } from '../src/lib/models/model-files';
import { onnxFilePath } from '../src/lib/models/dtype';
import { downloadFile } from './pull-file';
import { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from '../src/lib/models/stall-watchdog';

/**
 * `thinkbench pull <hub-id> [--dtype q4f16[,q8]] [--revision main] [--out-dir DIR]`: copies a
 * model's files into public/models/<hub-id>/ so the app and the Node engine load it offline.
 * The host is HF_ENDPOINT (as in the Hugging Face tools), default https://huggingface.co.
 */
export const PULL_USAGE = `Usage: thinkbench pull <hub-id> [--dtype q4f16[,q8]] [--revision main] [--out-dir public/models]

Downloads a model's config, tokenizer and ONNX weights into <out-dir>/<hub-id>/, resumable
and verified. Set HF_ENDPOINT to use a mirror (default ${DEFAULT_HUB_ENDPOINT}).
Dtypes: fp32, fp16, q8, q4, q4f16 (default: q4f16 where published, else the catalog's choice).
A file is never written past the size the hub announced, a request that stays idle for 60 s
(under 1 KiB received) fails, and a config declaring more than 100 external data chunks is refused.
Exit codes: 0 done, 1 failure, 2 bad arguments (including a malformed <hub-id>).`;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_RETRIES = 3;

export interface PullArgs {
  id: string;
  dtypes: ModelDtype[] | null;
  revision: string;
  outDir: string;
}

export type ParsedArgs = { ok: true; args: PullArgs } | { ok: false; message: string; help?: boolean };

export function parsePullArgs(argv: readonly string[]): ParsedArgs {
  let id: string | undefined;
  let dtypes: ModelDtype[] | null = null;
  let revision = 'main';
  let outDir = join(REPO_ROOT, 'public', 'models');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') return { ok: false, message: PULL_USAGE, help: true };
    if (flag === '--dtype') {
      const list = (value() ?? '').split(',').filter(Boolean);
      const bad = list.find((d) => !isModelDtype(d));
      if (list.length === 0 || bad !== undefined) return { ok: false, message: `--dtype: unknown dtype "${bad ?? ''}" (fp32, fp16, q8, q4, q4f16)` };
      dtypes = list.filter(isModelDtype);
    } else if (flag === '--revision') {
      const rev = value();
      if (!rev) return { ok: false, message: '--revision needs a branch, tag or commit' };
      revision = rev;
    } else if (flag === '--out-dir') {
      const dir = value();
      if (!dir) return { ok: false, message: '--out-dir needs a folder' };
      outDir = resolve(dir);
    } else if (flag.startsWith('-')) {
      return { ok: false, message: `unknown option ${flag}` };
    } else if (id === undefined) {
      if (!isValidHubId(arg)) return { ok: false, message: `"${arg}" is not a hub model id; expected owner/name, e.g. onnx-community/Qwen3-0.6B-ONNX` };
      id = arg;
    } else {
      return { ok: false, message: `unexpected argument "${arg}"` };
    }
  }
  if (!id) return { ok: false, message: 'missing <hub-id>, e.g. thinkbench pull onnx-community/Qwen3-0.6B-ONNX' };
  return { ok: true, args: { id, dtypes, revision, outDir } };
}

export interface PullIo {
  fetch: FetchLike;
  endpoint: string;
  /** Progress and messages go to stderr; stdout stays free for the final path. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdout: NodeJS.WritableStream;
  signal?: AbortSignal;
  /** A request that stays idle this long fails (see stall-watchdog.ts); injectable for tests. */
  idleTimeoutMs?: number;
}

interface PlannedFile {
  path: string;
  meta: FileMetadata;
}

/** HEADs every file first: the plan knows total bytes (for the disk check) before any download. */
async function planFiles(args: PullArgs, files: ModelFile[], io: PullIo): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const url = resolveUrl(io.endpoint, args.id, args.revision, file.path);
    const meta = await headFile(io.fetch, url, args.id, { optional: !file.required, signal: io.signal });
    if (meta) planned.push({ path: file.path, meta });
  }
  return planned;
}

async function freeBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

function progressLine(label: string, loaded: number, total: number, columns: number): string {
  const fraction = total > 0 ? Math.min(1, loaded / total) : 0;
  const width = Math.max(10, Math.min(30, columns - 60));
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  const text = `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(loaded)}/${formatBytes(total)} ${label}`;
  return text.slice(0, Math.max(20, columns - 1));
}

export async function pull(args: PullArgs, io: PullIo): Promise<string> {
  const inspected = await inspectHubModel(args.id, {
    endpoint: io.endpoint,
    revision: args.revision,
    fetch: io.fetch,
    signal: io.signal,
  });
  const { entry, config } = inspected;
  const catalogEntry = findEntry(args.id) ?? entry;
  const dtypes = args.dtypes ?? [chooseDtype({ ...catalogEntry, dtypes: entry.dtypes }, 'webgpu', true)];
  const missing = dtypes.filter((dtype) => !entry.dtypes.includes(dtype));
  if (missing.length > 0) {
    throw new HubError(
      'HubFileNotFound',
      `${args.id} publishes no ${missing.join(', ')} weights (available: ${entry.dtypes.join(', ')}).`,
    );
  }
  const wanted = new Map<string, ModelFile>();
  for (const dtype of dtypes) {
    for (const file of modelFiles(config, dtype)) wanted.set(file.path, file);
    // onnxruntime-node opens model.onnx_data beside the graph whether or not config.json says so.
    for (const path of externalDataPaths(onnxFilePath(dtype), 1)) {
      if (!wanted.has(path)) wanted.set(path, { path, required: false });
    }
  }
  const plan = await planFiles(args, [...wanted.values()], io);
  const totalBytes = plan.reduce((sum, file) => sum + (file.meta.sizeBytes ?? 0), 0);
  const modelDir = join(args.outDir, ...args.id.split('/'));
  const free = await freeBytes(modelDir);
  if (totalBytes > free) {
    throw new HubError(
      'StorageFullError',
      `${args.id} needs ${formatBytes(totalBytes)} but only ${formatBytes(free)} is free at ${modelDir}. Free some space or pass --out-dir.`,
    );
  }
  io.stderr.write(`Pulling ${args.id} (${dtypes.join(', ')}) from ${io.endpoint}: ${plan.length} files, ${formatBytes(totalBytes)}\n`);
  const tty = io.stderr.isTTY === true;
  let doneBytes = 0;
  const manifest: { path: string; sizeBytes: number; sha256?: string }[] = [];
  for (const [index, file] of plan.entries()) {
    const label = `${file.path} (${index + 1}/${plan.length})`;
    const result = await downloadFile(
      {
        url: resolveUrl(io.endpoint, args.id, args.revision, file.path),
        dest: join(modelDir, ...file.path.split('/')),
        repo: args.id,
        expected: file.meta,
      },
      {
        fetch: io.fetch,
        signal: io.signal,
        maxRetries: MAX_RETRIES,
        onBytes: tty
          ? (loaded) => io.stderr.write(`\r${progressLine(label, doneBytes + loaded, totalBytes, io.stderr.columns ?? 80)}`)
          : undefined,
        onRetry: (attempt, atBytes, error) =>
          io.stderr.write(`\n${error.message}\nResuming ${file.path} at ${formatBytes(atBytes)} (retry ${attempt}/${MAX_RETRIES})\n`),
      },
    );
    doneBytes += result.bytes;
    const how = result.skipped ? 'already complete' : result.resumedFromBytes > 0 ? `resumed from ${formatBytes(result.resumedFromBytes)}` : 'downloaded';
    io.stderr.write(`${tty ? '\r\x1b[K' : ''}${file.path}: ${formatBytes(result.bytes)} ${how}${file.meta.sha256 ? ', sha256 verified' : ''}\n`);
    manifest.push({ path: file.path, sizeBytes: result.bytes, sha256: file.meta.sha256 });
  }
  const record = { id: args.id, revision: args.revision, endpoint: io.endpoint, dtypes, files: manifest };
  await writeFile(join(modelDir, 'pull-manifest.json'), `${JSON.stringify(record, null, 2)}\n`);
  return modelDir;
}

/** The command: returns the process exit code (0 ok, 1 failure, 2 bad arguments). */
export async function runPull(argv: readonly string[], io?: Partial<PullIo>): Promise<number> {
  const stderr = io?.stderr ?? process.stderr;
  const parsed = parsePullArgs(argv);
  if (!parsed.ok) {
    (parsed.help ? io?.stdout ?? process.stdout : stderr).write(`${parsed.message}\n`);
    if (!parsed.help) stderr.write(`\n${PULL_USAGE}\n`);
    return parsed.help ? 0 : 2;
  }
  try {
    const dir = await pull(parsed.args, {
      fetch: withIdleTimeout(io?.fetch ?? globalFetch, io?.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS),
      endpoint: io?.endpoint ?? (process.env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT),
      stderr,
      stdout: io?.stdout ?? process.stdout,
      signal: io?.signal,
    });
    (io?.stdout ?? process.stdout).write(`${dir}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof HubError ? `${error.name}: ${error.message}` : String(error);
    stderr.write(`\nthinkbench pull: ${message}\n`);
    return 1;
  }
}
