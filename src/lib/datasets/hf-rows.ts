/**
 * Client for the Hugging Face dataset viewer rows API
 * (`GET {host}/rows?dataset=&config=&split=&offset=&length=` → `{rows:[{row_idx,row,truncated_cells}], num_rows_total}`),
 * paged at the API's maximum of 100 rows. `fetch` is injected so tests run against a local
 * server and the host is configurable for mirrors. Nothing is retried silently: a failed page
 * fails the load with the status and the hub's own message.
 */
import { DatasetParseError } from './errors';
import { problemsFromRecords, type FieldMapping, type ReferenceFormat } from './fields';
import { isPlainObject, type LocatedRecord } from './records';
import type { Dataset } from './types';

export const HF_ROWS_HOST = 'https://datasets-server.huggingface.co';
/** The rows API refuses `length` above 100. */
export const HF_ROWS_PAGE_SIZE = 100;

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface HfRowsProgress {
  loadedRows: number;
  totalRows: number;
}

export interface HfRowsRequest {
  dataset: string;
  config: string;
  split: string;
  host?: string;
  /** Load at most this many rows (from the start of the split). */
  limit?: number;
  fetch?: FetchLike;
  signal?: AbortSignal;
  onProgress?: (progress: HfRowsProgress) => void;
}

export class HfRowsError extends Error {
  override readonly name = 'HfRowsError';
  /** HTTP status, or null when no response came (network error, bad JSON). */
  readonly status: number | null;
  readonly url: string;

  constructor(message: string, url: string, status: number | null, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.status = status;
  }
}

export interface HfRows {
  /** `line` is the hub's `row_idx`, so errors point at the row the dataset viewer shows. */
  rows: LocatedRecord[];
  totalRows: number;
}

export async function fetchHfRows(request: HfRowsRequest): Promise<HfRows> {
  const host = (request.host ?? HF_ROWS_HOST).replace(/\/+$/, '');
  const fetchPage = request.fetch ?? ((url: string, init?: { signal?: AbortSignal }) => fetch(url, init));
  const rows: LocatedRecord[] = [];
  let totalRows = Number.POSITIVE_INFINITY;
  while (rows.length < Math.min(totalRows, request.limit ?? Number.POSITIVE_INFINITY)) {
    const wanted = Math.min(HF_ROWS_PAGE_SIZE, (request.limit ?? Number.POSITIVE_INFINITY) - rows.length);
    const url =
      `${host}/rows?dataset=${encodeURIComponent(request.dataset)}&config=${encodeURIComponent(request.config)}` +
      `&split=${encodeURIComponent(request.split)}&offset=${rows.length}&length=${wanted}`;
    const page = await getPage(fetchPage, url, request.signal);
    totalRows = page.totalRows;
    if (page.rows.length === 0) {
      if (rows.length < totalRows) throw new HfRowsError(`the hub returned no rows at offset ${rows.length} of ${totalRows}`, url, 200);
      break;
    }
    rows.push(...page.rows);
    request.onProgress?.({ loadedRows: rows.length, totalRows: Math.min(totalRows, request.limit ?? totalRows) });
  }
  return { rows, totalRows };
}

export interface HfDatasetRequest extends HfRowsRequest {
  mapping: FieldMapping;
  referenceFormat?: ReferenceFormat;
  name?: string;
}

/** Loads rows and turns them into a dataset; every row is validated before the dataset is returned. */
export async function loadHfDataset(request: HfDatasetRequest): Promise<Dataset> {
  const { rows } = await fetchHfRows(request);
  const problems = problemsFromRecords(rows, request.mapping, request.referenceFormat ?? 'value', 'row');
  const host = (request.host ?? HF_ROWS_HOST).replace(/\/+$/, '');
  const slice = request.limit === undefined ? '' : `:${request.limit}`;
  return {
    id: `hf:${request.dataset}/${request.config}/${request.split}${slice}`,
    name: request.name ?? `${request.dataset} ${request.config}/${request.split}`,
    source: { kind: 'hf-rows', host, dataset: request.dataset, config: request.config, split: request.split },
    problems,
  };
}

async function getPage(fetchPage: FetchLike, url: string, signal: AbortSignal | undefined): Promise<HfRows> {
  let response: Response;
  try {
    response = await fetchPage(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new HfRowsError(`could not reach the dataset viewer: ${(error as Error).message}`, url, null, { cause: error });
  }
  const body = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    if (!response.ok) throw new HfRowsError(`the dataset viewer answered ${response.status}`, url, response.status);
    throw new HfRowsError('the dataset viewer answered with something that is not JSON', url, response.status);
  }
  if (!response.ok) {
    const detail = isPlainObject(json) && typeof json.error === 'string' ? `: ${json.error}` : '';
    throw new HfRowsError(`the dataset viewer answered ${response.status}${detail}`, url, response.status);
  }
  return parsePage(json, url);
}

function parsePage(json: unknown, url: string): HfRows {
  const fail = (what: string) => new HfRowsError(`unexpected rows API response: ${what}`, url, 200);
  if (!isPlainObject(json)) throw fail('not an object');
  if (typeof json.num_rows_total !== 'number') throw fail('no num_rows_total');
  if (!Array.isArray(json.rows)) throw fail('no rows list');
  const rows = json.rows.map((entry: unknown): LocatedRecord => {
    if (!isPlainObject(entry) || typeof entry.row_idx !== 'number' || !isPlainObject(entry.row)) throw fail('a row without row_idx/row');
    const truncated = Array.isArray(entry.truncated_cells) ? entry.truncated_cells : [];
    if (truncated.length > 0) {
      // A truncated cell would silently become a shortened question: refuse it instead.
      throw new DatasetParseError('the hub truncated this cell', { line: entry.row_idx, field: String(truncated[0]), unit: 'row' });
    }
    return { line: entry.row_idx, record: entry.row };
  });
  return { rows, totalRows: json.num_rows_total };
}
