// GraphQL answers from COMPRESSION_MIN_BYTES on travel brotli- or gzip-compressed, as the client
// accepts; smaller ones, and clients that accept neither, get plain JSON. Through yoga.fetch.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { useTestDatabase } from '../support/database.js';

let yoga: RefgraphYoga;
const LARGE = { query: '{ codes(first: 20) { edges { node { code shortDescription longDescription } } } }' };
const SMALL = { query: '{ __typename }' };

beforeAll(async () => {
  await useTestDatabase();
  yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), compressionMinBytes: 200 });
});

async function post(body: unknown, acceptEncoding?: string): Promise<Response> {
  return yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    body: JSON.stringify(body),
  });
}

describe('compression of GraphQL answers', () => {
  it('sends brotli, else gzip, to clients that accept it, the same JSON either way', async () => {
    const plain = await post(LARGE);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const json = await plain.text();
    expect(Buffer.byteLength(json)).toBeGreaterThan(200);

    const brotli = await post(LARGE, 'gzip, deflate, br');
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
    const compressed = Buffer.from(await brotli.arrayBuffer());
    expect(Number(brotli.headers.get('content-length'))).toBe(compressed.length);
    expect(brotliDecompressSync(compressed).toString()).toBe(json);

    const gzip = await post(LARGE, 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(json);

    const refused = await post(LARGE, 'br;q=0, gzip;q=0');
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(await refused.text()).toBe(json);
  });

  it('leaves answers under the threshold as they are', async () => {
    const response = await post(SMALL, 'br');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
