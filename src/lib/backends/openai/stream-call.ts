/**
 * One streamed call to either endpoint: POST with `stream: true` (usage asked for in the last
 * chunk), parse each SSE event into a `StreamChunk`, hand every choice delta to `onDelta` with
 * its arrival time. Returns the usage when the server sent it.
 */
import { RemoteProtocolError } from './errors';
import { sseData } from './sse';
import { request, type Connection } from './transport';
import { ENDPOINT_PATH, parseChunk, type ChatBody, type ChoiceDelta, type CompletionBody, type Endpoint, type Usage } from './wire';

export type CallBody = { endpoint: 'chat'; body: ChatBody } | { endpoint: 'completions'; body: CompletionBody };

export async function streamCall(
  connection: Connection,
  call: CallBody,
  onDelta: (delta: ChoiceDelta, atMs: number) => void,
  signal?: AbortSignal,
): Promise<Usage | null> {
  const body = { ...call.body, stream: true, stream_options: { include_usage: true } };
  const response = await request(connection, ENDPOINT_PATH[call.endpoint], { method: 'POST', body }, signal);
  if (!response.body) throw new RemoteProtocolError(`${connection.baseUrl}${ENDPOINT_PATH[call.endpoint]} sent no body`);
  const endpoint: Endpoint = call.endpoint;
  let usage: Usage | null = null;
  // A server that ignores `stream` answers with one JSON document; it parses to the same deltas.
  const streamed = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  if (!streamed) {
    const chunk = parseChunk(parseJson(await response.text()), endpoint);
    const atMs = performance.now();
    for (const delta of chunk.choices) onDelta(delta, atMs);
    return chunk.usage;
  }
  for await (const data of sseData(response.body)) {
    const chunk = parseChunk(parseJson(data), endpoint);
    const atMs = performance.now();
    for (const delta of chunk.choices) onDelta(delta, atMs);
    if (chunk.usage) usage = chunk.usage;
  }
  return usage;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RemoteProtocolError(`the server sent something that is not JSON: ${text.slice(0, 200)}`);
  }
}
