/** SSE as OpenAI-compatible servers stream it, cut into arbitrary byte pieces. */
import { describe, expect, it } from 'vitest';
import { sseData } from '../../src/lib/backends/openai/sse';

function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const data of sseData(stream)) out.push(data);
  return out;
}

const TEXT = ': keep-alive\n\ndata: {"a":"héllo"}\n\nevent: x\r\ndata: {"b":1}\r\n\r\ndata: line1\ndata: line2\n\ndata: [DONE]\n\ndata: {"after":"done"}\n\n';

describe('sseData', () => {
  it('yields each event once, joins multi-line data, skips comments and stops at [DONE]', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    expect(await collect(streamOf([bytes]))).toEqual(['{"a":"héllo"}', '{"b":1}', 'line1\nline2']);
  });

  it('gives the same events whatever the byte boundaries (inside lines and inside a UTF-8 character)', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const events = await collect(streamOf([bytes.slice(0, cut), bytes.slice(cut)]));
      expect(events, `cut at byte ${cut}`).toEqual(['{"a":"héllo"}', '{"b":1}', 'line1\nline2']);
    }
    const oneByOne = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(await collect(streamOf(oneByOne))).toEqual(['{"a":"héllo"}', '{"b":1}', 'line1\nline2']);
  });

  it('keeps a last event that the server ended without a blank line', async () => {
    expect(await collect(streamOf([new TextEncoder().encode('data: {"x":1}\n\ndata: {"y":2}')]))).toEqual(['{"x":1}', '{"y":2}']);
  });
});
