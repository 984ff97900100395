import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHfRows, HfRowsError, loadHfDataset, type HfRowsProgress } from '../../src/lib/datasets/hf-rows';
import { GSM8K_MAPPING } from '../../src/lib/datasets/gsm8k';
import { DatasetParseError } from '../../src/lib/datasets/errors';

/**
 * A local imitation of the dataset viewer's /rows endpoint: `good/x` has 250 GSM8K-like rows,
 * `broken/x` fails its second page with the hub's JSON error shape, `badrow/x` has a row with
 * no `answer`, `truncated/x` marks a truncated cell.
 */
const TOTAL_ROWS = 250;
const requests: URL[] = [];
let server: Server;
let host: string;

function row(index: number) {
  return { row_idx: index, row: { question: `Question ${index}?`, answer: `step\n#### ${index * 2}` }, truncated_cells: [] as string[] };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const offset = Number(url.searchParams.get('offset'));
    const length = Number(url.searchParams.get('length'));
    const dataset = url.searchParams.get('dataset');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname !== '/rows' || length > 100) return send(422, { error: 'Parameter length must be at most 100' });
    if (dataset === 'broken/x' && offset >= 100) return send(500, { error: 'The dataset viewer is down' });
    const rows = [];
    for (let i = offset; i < Math.min(offset + length, TOTAL_ROWS); i++) {
      if (dataset === 'badrow/x' && i === 137) rows.push({ row_idx: i, row: { question: 'No answer?' }, truncated_cells: [] });
      else if (dataset === 'truncated/x' && i === 3) rows.push({ ...row(i), truncated_cells: ['question'] });
      else rows.push(row(i));
    }
    send(200, { features: [], rows, num_rows_total: TOTAL_ROWS, partial: false });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Hugging Face rows API client', () => {
  it('pages 100 rows at a time with progress and builds a GSM8K dataset', async () => {
    requests.length = 0;
    const progress: HfRowsProgress[] = [];
    const dataset = await loadHfDataset({
      host: `${host}/`,
      dataset: 'good/x',
      config: 'main',
      split: 'test',
      mapping: GSM8K_MAPPING,
      referenceFormat: 'gsm8k',
      onProgress: (p) => progress.push(p),
    });
    expect(requests.map((r) => [r.searchParams.get('offset'), r.searchParams.get('length')])).toEqual([
      ['0', '100'],
      ['100', '100'],
      ['200', '100'],
    ]);
    expect(requests[0].searchParams.get('config')).toBe('main');
    expect(requests[0].searchParams.get('split')).toBe('test');
    expect(progress).toEqual([
      { loadedRows: 100, totalRows: 250 },
      { loadedRows: 200, totalRows: 250 },
      { loadedRows: 250, totalRows: 250 },
    ]);
    expect(dataset.problems).toHaveLength(250);
    expect(dataset.problems[249]).toEqual({ id: 'q249', question: 'Question 249?', reference: '498' });
    expect(dataset.source).toEqual({ kind: 'hf-rows', host, dataset: 'good/x', config: 'main', split: 'test' });
  });

  it('stops at a row limit with a short last page', async () => {
    requests.length = 0;
    const { rows } = await fetchHfRows({ host, dataset: 'good/x', config: 'main', split: 'test', limit: 130 });
    expect(rows).toHaveLength(130);
    expect(requests.map((r) => r.searchParams.get('length'))).toEqual(['100', '30']);
  });

  it('fails with the status and the hub message on an error page', async () => {
    const failure = fetchHfRows({ host, dataset: 'broken/x', config: 'main', split: 'test' });
    await expect(failure).rejects.toBeInstanceOf(HfRowsError);
    await expect(failure).rejects.toMatchObject({ status: 500, message: expect.stringContaining('The dataset viewer is down') });
  });

  it('fails with status null when the host cannot be reached', async () => {
    const failure = fetchHfRows({ host: 'http://127.0.0.1:9', dataset: 'good/x', config: 'main', split: 'test' });
    await expect(failure).rejects.toMatchObject({ name: 'HfRowsError', status: null });
  });

  it('names the row and field of a bad row, and refuses truncated cells', async () => {
    const bad = loadHfDataset({ host, dataset: 'badrow/x', config: 'main', split: 'test', mapping: GSM8K_MAPPING, referenceFormat: 'gsm8k' });
    await expect(bad).rejects.toBeInstanceOf(DatasetParseError);
    await expect(bad).rejects.toMatchObject({ line: 137, field: 'answer', message: expect.stringContaining('row 137') });
    const truncated = loadHfDataset({ host, dataset: 'truncated/x', config: 'main', split: 'test', mapping: GSM8K_MAPPING });
    await expect(truncated).rejects.toMatchObject({ line: 3, field: 'question' });
  });

  it('uses an injected fetch', async () => {
    const urls: string[] = [];
    const { rows } = await fetchHfRows({
      dataset: 'openai/gsm8k',
      config: 'main',
      split: 'test',
      fetch: async (url) => {
        urls.push(url);
        return new Response(JSON.stringify({ rows: [row(0)], num_rows_total: 1 }), { status: 200 });
      },
    });
    expect(rows).toHaveLength(1);
    expect(urls).toEqual(['https://datasets-server.huggingface.co/rows?dataset=openai%2Fgsm8k&config=main&split=test&offset=0&length=100']);
  });
});
