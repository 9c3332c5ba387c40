// The GraphiQL page, rendered once in a worker and kept compressed: served brotli, gzip or plain
// as the browser accepts, with an ETag (304 when the browser has it) and a cache lifetime. A GET
// that asks for JSON is still a GraphQL request.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRefgraphYoga } from '../../src/yoga.js';
import { useTestDatabase } from '../support/database.js';

const yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), requireApiKey: true });

beforeAll(async () => {
  await useTestDatabase();
});

const page = async (headers: Record<string, string>) => {
  const response = await yoga.fetch('http://refgraph.test/graphql', { headers: { accept: 'text/html', ...headers } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
};

describe('the GraphiQL page', () => {
  it('is served compressed as the browser accepts, the same page each way, without an API key', async () => {
    const br = await page({ 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await page({ 'accept-encoding': 'gzip' });
    const plain = await page({});
    expect(br.response.status).toBe(200);
    expect(br.response.headers.get('content-encoding')).toBe('br');
    expect(gzip.response.headers.get('content-encoding')).toBe('gzip');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    // q=0 refuses an encoding.
    const notBrotli = await page({ 'accept-encoding': 'br;q=0, gzip' });
    expect(notBrotli.response.headers.get('content-encoding')).toBe('gzip');
    expect(notBrotli.bytes.equals(gzip.bytes)).toBe(true);
    const html = plain.bytes.toString('utf8');
    expect(brotliDecompressSync(br.bytes).toString('utf8')).toBe(html);
    expect(gunzipSync(gzip.bytes).toString('utf8')).toBe(html);
    expect(html).toContain('<title>refgraph</title>');
    expect(html).toContain('x-api-key');
    // Compressed, the 9 MB page is a quarter of its size or less.
    expect(br.bytes.length).toBeLessThan(html.length / 4);
    expect(br.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(br.response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(br.response.headers.get('vary')).toBe('accept-encoding');
  });

  it('answers a revalidation with 304 and no body', async () => {
    const first = await page({ 'accept-encoding': 'br' });
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^"graphiql-[0-9a-f]{16}"$/);
    const again = await page({ 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.response.status).toBe(304);
    expect(again.bytes.length).toBe(0);
  });

  it('leaves GET requests for JSON to GraphQL (and its API key check)', async () => {
    const response = await yoga.fetch('http://refgraph.test/graphql?query=%7B__typename%7D', {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(401);
  });
});
