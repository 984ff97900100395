import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HubError, httpError, isStorageFull } from '../src/lib/models/hub-errors';
import { networkError, type FetchLike, type FileMetadata } from '../src/lib/models/hub-metadata';

/**
 * Downloads one hub file to disk so that it is either complete and verified under its final
 * name, or absent: bytes go to `<dest>.part`, an interrupted transfer resumes from the part's
 * length with a Range request, and only a part whose size (and sha256, for LFS files) matches
 * what the hub announced is renamed into place.
 */
export interface FileJob {
  url: string;
  dest: string;
  repo: string;
  expected: FileMetadata;
}

export interface FileDownloadOptions {
  fetch: FetchLike;
  signal?: AbortSignal;
  onBytes?: (loadedBytes: number, totalBytes: number) => void;
  /** Called before each automatic resume after a dropped connection (shown to the user). */
  onRetry?: (attempt: number, atBytes: number, error: HubError) => void;
  maxRetries: number;
}

export interface FileDownloadResult {
  bytes: number;
  /** Bytes that were already on disk (a .part from an earlier run). */
  resumedFromBytes: number;
  skipped: boolean;
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function verify(path: string, job: FileJob): Promise<void> {
  const size = (await stat(path)).size;
  const { sizeBytes, sha256 } = job.expected;
  if (sizeBytes !== undefined && size !== sizeBytes) {
    throw new HubError(
      'DownloadVerificationError',
      `${job.url}: got ${size} bytes, the hub announced ${sizeBytes}. The file was discarded; run the command again.`,
    );
  }
  if (sha256 !== undefined) {
    const actual = await sha256OfFile(path);
    if (actual !== sha256) {
      throw new HubError(
        'DownloadVerificationError',
        `${job.url}: sha256 ${actual} does not match the hub's ${sha256}. The file was discarded; run the command again.`,
      );
    }
  }
}

function storageError(dest: string, error: unknown): HubError {
  return new HubError(
    'StorageFullError',
    `Disk full while writing ${dest}. Free some space and run the same command again: the partial download (${dest}.part) resumes where it stopped.`,
    { cause: error },
  );
}

function overflowError(job: FileJob, limitBytes: number): HubError {
  return new HubError(
    'DownloadVerificationError',
    `${job.url}: the server kept sending past the announced ${limitBytes} bytes; stopped there and discarded the file. The mirror is misbehaving: try again later or use another one.`,
  );
}

/**
 * The most bytes the part file may hold: the hub's figure, else the response's own length (the
 * full length from Content-Range for a 206). Null only when nobody announced a size.
 */
function announcedLimit(job: FileJob, response: Response): number | null {
  if (job.expected.sizeBytes !== undefined) return job.expected.sizeBytes;
  const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (response.status === 206 && range) return Number(range[1]);
  const length = response.headers.get('content-length');
  return response.status === 200 && length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

/** One HTTP transfer appended to the part file; returns when the body ends or throws. */
async function transfer(job: FileJob, part: string, options: FileDownloadOptions): Promise<void> {
  const have = (await sizeOf(part)) ?? 0;
  const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
  let response: Response;
  try {
    response = await options.fetch(job.url, { headers, signal: options.signal });
  } catch (error) {
    throw networkError(job.url, error, options.signal);
  }
  if (response.status === 416 && have > 0) {
    // The part already holds everything (or more): let verification decide.
    await response.body?.cancel();
    return;
  }
  if (!response.ok || !response.body) throw httpError(response.status, job.url, job.repo, response.headers.get('x-error-code'));
  // 200 to a Range request means the server ignored it: start over rather than append.
  const append = response.status === 206;
  const limit = announcedLimit(job, response);
  const total = limit ?? 0;
  let loaded = append ? have : 0;
  const handle = await open(part, append ? 'a' : 'w');
  try {
    const reader = response.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw networkError(job.url, error, options.signal);
      }
      if (chunk.done) break;
      // Never write past the announced size: a broken mirror must not be able to fill the disk.
      const room = limit === null ? chunk.value.byteLength : Math.max(0, limit - loaded);
      const bytes = chunk.value.byteLength > room ? chunk.value.subarray(0, room) : chunk.value;
      try {
        await handle.write(bytes);
      } catch (error) {
        await reader.cancel().catch(() => undefined);
        throw isStorageFull(error) ? storageError(job.dest, error) : error;
      }
      loaded += bytes.byteLength;
      options.onBytes?.(loaded, total);
      if (bytes !== chunk.value && limit !== null) {
        await reader.cancel().catch(() => undefined);
        throw overflowError(job, limit);
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export async function downloadFile(job: FileJob, options: FileDownloadOptions): Promise<FileDownloadResult> {
  const part = `${job.dest}.part`;
  await mkdir(dirname(job.dest), { recursive: true });
  const existing = await sizeOf(job.dest);
  if (existing !== null) {
    try {
      await verify(job.dest, job);
      return { bytes: existing, resumedFromBytes: existing, skipped: true };
    } catch {
      await rm(job.dest, { force: true }); // a stale or damaged copy: fetch it again
    }
  }
  const resumedFromBytes = (await sizeOf(part)) ?? 0;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await transfer(job, part, options);
      break;
    } catch (error) {
      // A stall (DownloadStalled) is not retried: a mirror that drips once usually drips again.
      // The part is kept, so running the command again resumes it. Bytes past the announced
      // size make the part untrustworthy: it goes.
      const retryable = error instanceof HubError && error.name === 'HubNetworkError' && attempt < options.maxRetries;
      if (error instanceof HubError && error.name === 'DownloadVerificationError') await rm(part, { force: true });
      if (!retryable) throw error;
      options.onRetry?.(attempt + 1, (await sizeOf(part)) ?? 0, error);
    }
  }
  try {
    await verify(part, job);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  await rename(part, job.dest);
  return { bytes: (await sizeOf(job.dest)) ?? 0, resumedFromBytes, skipped: false };
}
