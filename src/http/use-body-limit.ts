// 413 for request bodies over the limit, at once from Content-Length, else while reading them;
// 400 for a Content-Length that is not one number (a request-smuggling attempt).
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
import { errorResponse } from './error-response.js';

/** Reads at most `max` bytes of a body; undefined when it is longer. */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<string | undefined> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** 413 for bodies over `max` bytes: at once from Content-Length, else while reading. */
export function useBodyLimit(max: number): Plugin {
  const tooLarge = () =>
    errorResponse(413, ErrorCode.LIMIT_EXCEEDED, `Request body exceeds the limit of ${max} bytes.`);
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer only: a list of values is a request-smuggling attempt.
        if (!/^\d+$/.test(declared))
          endResponse(errorResponse(400, ErrorCode.BAD_USER_INPUT, 'Invalid Content-Length header.'));
        else if (Number(declared) > max) endResponse(tooLarge());
        return;
      }
      if (!requestParser) return;
      setRequestParser(async (original) => {
        const text = await readCapped(original.body, max);
        if (text === undefined) return tooLarge();
        return requestParser(new Request(original.url, { method: 'POST', headers: original.headers, body: text }));
      });
    },
  };
}
