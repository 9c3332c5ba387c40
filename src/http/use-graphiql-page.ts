// The GraphiQL page at GET /graphql (Accept: text/html), rendered once and kept only compressed.
//
// `@graphql-yoga/render-graphiql` bundles GraphiQL so the page works offline, but importing it
// keeps ~30 MB of JavaScript source in the heap for the life of the process, and the page itself
// is 9 MB. So it is rendered on the first visit in a worker thread (whose heap is freed when it
// exits), and the server keeps the brotli and gzip forms (~2 MB each): it answers with the one the
// browser accepts, with an ETag and a cache lifetime, and a 304 for a page the browser has.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { brotliCompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { acceptedEncoding } from '../pages/respond.js';

/** The options renderGraphiQL takes (title, example tabs, headers, ...): plain data. */
export type GraphiQLOptions = Record<string, unknown>;

interface Page {
  brotli: Buffer;
  gzip: Buffer;
  etag: string;
}

// Runs in the worker: render, hand back the HTML as UTF-8 bytes (transferred, not copied), exit.
const RENDER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ renderGraphiQL }) => {
  const bytes = Buffer.from(renderGraphiQL(workerData.options), 'utf8');
  parentPort.postMessage(bytes, [bytes.buffer]);
});
`;

function renderInWorker(options: GraphiQLOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RENDER, {
      eval: true,
      // Resolved here: an eval'd worker would resolve a bare name from the working directory.
      workerData: { module: import.meta.resolve('@graphql-yoga/render-graphiql'), options },
    });
    worker.once('message', (bytes: Uint8Array) =>
      resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the GraphiQL renderer exited (${code}) without a page`)));
  });
}

async function renderPage(options: GraphiQLOptions): Promise<Page> {
  const html = await renderInWorker(options);
  return {
    brotli: brotliCompressSync(html, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: html.length },
    }),
    gzip: gzipSync(html, { level: 9 }),
    etag: `"graphiql-${createHash('sha256').update(html).digest('hex').slice(0, 16)}"`,
  };
}

export function useGraphiQLPage(endpoint: string, options: GraphiQLOptions): Plugin {
  let page: Promise<Page> | undefined;
  let plain: Buffer | undefined;
  return {
    async onRequest({ request, url, endResponse }) {
      if (
        url.pathname !== endpoint ||
        request.method !== 'GET' ||
        !request.headers.get('accept')?.includes('text/html')
      )
        return;
      // A failed render is tried again by the next visit.
      page ??= renderPage(options).catch((error: unknown) => {
        page = undefined;
        throw error;
      });
      const { brotli, gzip, etag } = await page;
      const headers: Record<string, string> = {
        'content-type': 'text/html; charset=utf-8',
        etag,
        // The page holds no data: browsers keep it for an hour, then revalidate (a 304 costs nothing).
        'cache-control': 'public, max-age=3600',
        vary: 'accept-encoding',
      };
      if (request.headers.get('if-none-match') === etag) {
        endResponse(new Response(null, { status: 304, headers }));
        return;
      }
      const encoding = acceptedEncoding(request.headers.get('accept-encoding'));
      // The plain page for the rare client that accepts neither, unpacked once.
      if (!encoding) plain ??= gunzipSync(gzip);
      const body = encoding === 'br' ? brotli : encoding === 'gzip' ? gzip : plain!;
      if (encoding) headers['content-encoding'] = encoding;
      endResponse(
        new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
          status: 200,
          headers,
        }),
      );
    },
  };
}
