// GraphQL answers travel brotli- or gzip-compressed when the client accepts it and they are at
// least COMPRESSION_MIN_BYTES long (a page of 100 codes with coverage notes is ~200 kB of JSON and
// compresses about tenfold). The encoding choice and the compressor are the pages' own
// (src/pages/respond.ts); the GraphiQL page is stored compressed by use-graphiql-page.ts and the
// pages compress themselves, so this plugin touches only the GraphQL endpoint's JSON answers.
//
// An answer from the response cache carries an ETag: its compressed forms are kept (a few MB), so
// a popular cached answer is compressed once, not once per request.
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { acceptedEncoding, encode } from '../pages/respond.js';

/** Bytes of compressed cached answers kept. */
const COMPRESSED_CACHE_BYTES = 8 * 1024 * 1024;

const JSON_TYPES = /^application\/(graphql-response\+)?json\b/;

export function useCompression(endpoint: string, minBytes: number): Plugin {
  const compressed = new LRUCache<string, Buffer>({
    maxSize: COMPRESSED_CACHE_BYTES,
    sizeCalculation: (body) => Math.max(1, body.length),
  });
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (
        !response.body ||
        response.headers.has('content-encoding') ||
        !JSON_TYPES.test(response.headers.get('content-type') ?? '')
      )
        return;
      if (new URL(request.url).pathname !== endpoint) return;
      response.headers.append('vary', 'Accept-Encoding');
      const encoding = acceptedEncoding(request.headers.get('accept-encoding'));
      if (!encoding) return;
      // A short answer is left as it is, unread (Yoga states the length of the bodies it writes).
      if (Number(response.headers.get('content-length') ?? Number.NaN) < minBytes) return;
      // A cached answer compressed before is not read again.
      const etag = response.headers.get('etag');
      const memoKey = etag ? `${encoding}:${etag}` : undefined;
      let body = memoKey ? compressed.get(memoKey) : undefined;
      const headers = new fetchAPI.Headers(response.headers);
      if (!body) {
        const text = await response.text();
        const plain = Buffer.from(text, 'utf8');
        if (plain.length < minBytes) {
          setResponse(new fetchAPI.Response(text, { status: response.status, headers }));
          return;
        }
        body = encode(plain, encoding);
        if (memoKey) compressed.set(memoKey, body);
      }
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(body.length));
      setResponse(
        new fetchAPI.Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
          status: response.status,
          headers,
        }),
      );
    },
  };
}
