/**
 * Server-sent events as the OpenAI-compatible servers send them: `data: <json>` events separated
 * by a blank line, `data: [DONE]` at the end, comment lines (`: keep-alive`) ignored. Yields each
 * event's data; bytes may split anywhere (inside a line, inside a UTF-8 character).
 */
export const SSE_DONE = '[DONE]';

export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // The last piece may be an incomplete line; it waits for more bytes (or the end).
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = done ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) {
            const event = data.join('\n');
            data = [];
            if (event === SSE_DONE) return;
            yield event;
          }
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        // Other fields (event:, id:, retry:) and comments carry nothing we use.
      }
      if (done) {
        if (data.length > 0 && data.join('\n') !== SSE_DONE) yield data.join('\n');
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
