// The pages over HTTP (yoga.fetch, refgraph's starter data): what `/` and `/codes/<code>` answer,
// their headers (Content-Security-Policy, ETag and 304, compression), and the 400, 404, 405, 500
// and 503 pages, none of which shows a stack trace.
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parse } from 'parse5';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isoDate } from '../../src/briefing/collect.js';
import { createPrismaClient, usePrismaClient, type Db } from '../../src/db/client.js';
import { createRefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { testYoga } from '../support/graphql.js';

let db: Db;

beforeAll(async () => {
  ({ db } = await useTestDatabase());
});

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await testYoga().fetch(`http://refgraph.test${path}`, { method, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function parseErrors(html: string): string[] {
  const errors: string[] = [];
  parse(html, { onParseError: (error) => errors.push(error.code) });
  return errors;
}

/** What a page must never show, whatever went wrong. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\bat .+\.(ts|js):\d+|Error:|prisma|stack/i);
}

describe('/', () => {
  it('offers the search box, links to GraphiQL and /metrics, and lists the releases loaded per code system', async () => {
    const { status, headers, body } = await get('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(parseErrors(body)).toEqual([]);
    expect(body).toMatch(/<label for="q">[^<]+<\/label><input type="search" id="q" name="q"/);
    expect(body).toMatch(/<input type="date" id="asOf" name="asOf" value="">/);
    expect(body).toContain('<a href="/graphql">');
    expect(body).toContain('<a href="/metrics">');
    expect(body).toMatch(
      /<td>HCPCS Level II<\/td><td>refgraph-starter<\/td><td>\d{4}-\d{2}-\d{2}<\/td><td>[\d,]+<\/td><td>refgraph&#39;s starter data<\/td>/,
    );
    expect(body).not.toContain('id="results"');
  });

  it('lists the hits of the tiered search with code, title and what matched, linking codes to their pages', async () => {
    const { status, body } = await get('/?q=pet+tumor');
    expect(status).toBe(200);
    expect(parseErrors(body)).toEqual([]);
    expect(body).toMatch(
      /<tr><td><a href="\/codes\/A9597">A9597<\/a><\/td><td>HCPCS Level II<\/td><td>Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified<\/td><td>every word, as the start of a word of the title<\/td><\/tr>/,
    );
    expect(body).toContain('value="pet tumor"');
    const pinned = await get('/?q=A9597&asOf=2019-07-01');
    expect(pinned.body).toMatch(
      /<a href="\/codes\/A9597\?asOf=2019-07-01">A9597<\/a><\/td><td>HCPCS Level II<\/td><td>[^<]+<\/td><td>the code itself<\/td>/,
    );
    expect(pinned.body).toContain('value="2019-07-01"');
  });

  it('escapes the search text it shows back', async () => {
    const { body } = await get(`/?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;');
  });
});

describe('/codes/<code>', () => {
  it("renders the briefing's sections, the history, and no chart without benchmarks", async () => {
    const { status, body } = await get('/codes/A9597');
    expect(status).toBe(200);
    expect(parseErrors(body)).toEqual([]);
    for (const id of [
      'summary',
      'billing-overview',
      'coding-specifications',
      'payers',
      'benchmarks',
      'recent-changes',
      'history',
    ]) {
      expect(body).toContain(`<section id="${id}">`);
    }
    expect(body).toContain('<h1>National briefing: HCPCS A9597</h1>');
    expect(body).toMatch(
      /<section id="payers">\n<h2>Payers in scope<\/h2>\n<p class="no-data">Data not available<\/p>/,
    );
    expect(body).toMatch(/<section id="benchmarks">\n<h2>Benchmarks<\/h2>\n<p class="no-data">Data not available<\/p>/);
    expect(body).not.toContain('id="benchmark-chart"');
    expect(body).toMatch(
      /<tr><td>refgraph-starter<\/td><td>[\d-]+<\/td><td>First release of this code in refgraph&#39;s data<\/td>/,
    );
    expect(body).toContain(`As of ${isoDate(new Date())}`);
  });

  it('answers as of a date, and accepts a lower-case code', async () => {
    const { status, body } = await get('/codes/a9597?asOf=2020-06-01');
    expect(status).toBe(200);
    expect(body).toContain('As of 2020-06-01');
    expect(body).toContain('<input type="date" id="asOf" name="asOf" value="2020-06-01">');
  });

  it('answers HEAD with the headers alone', async () => {
    const { status, headers, body } = await get('/codes/A9597', {}, 'HEAD');
    expect(status).toBe(200);
    expect(headers.get('etag')).toMatch(/^W\//);
    expect(body).toBe('');
  });
});

describe('headers', () => {
  it('sends a Content-Security-Policy that allows nothing but the inline stylesheet it names by hash', async () => {
    const { headers, body } = await get('/codes/A9597');
    const policy = headers.get('content-security-policy')!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(policy).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(body).not.toMatch(/<script|<link|<img|<iframe|\sstyle="|\son\w+="/i);
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cache-control')).toBe('private, no-cache');
  });

  it('keys the ETag on the data version and, without asOf, the date; answers 304 with one statement', async () => {
    const today = await get('/codes/A9597');
    const etag = today.headers.get('etag')!;
    expect(etag).toContain(isoDate(new Date()));
    const pinned = (await get('/codes/A9597?asOf=2020-06-01')).headers.get('etag')!;
    expect(pinned).not.toContain(isoDate(new Date()));

    const { result, count } = await countStatements(() => get('/codes/A9597', { 'if-none-match': etag }));
    expect(result.status).toBe(304);
    expect(result.body).toBe('');
    expect(result.headers.get('etag')).toBe(etag);
    expect(count).toBe(1);
    expect((await get('/codes/A9597', { 'if-none-match': 'W/"other"' })).status).toBe(200);

    // Any change to the data moves the version on: the old ETag gets the page again, with a new one.
    await db.payer.update({ where: { slug: 'aetna' }, data: { name: 'Aetna' } });
    const changed = await get('/codes/A9597', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('compresses with brotli or gzip as the client accepts, and not at all otherwise', async () => {
    const plain = await testYoga().fetch('http://refgraph.test/codes/A9597');
    const text = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync],
    ] as const) {
      const response = await testYoga().fetch('http://refgraph.test/codes/A9597', {
        headers: { 'accept-encoding': accept },
      });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBeLessThan(text.length / 2);
      expect(decode(bytes).toString('utf8')).toBe(text);
    }
    const identity = await testYoga().fetch('http://refgraph.test/codes/A9597', {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(identity.headers.get('content-encoding')).toBeNull();
  });
});

describe('pages for what cannot be answered', () => {
  it.each([
    ['/codes/A95', /&quot;A95&quot; is not a HCPCS Level II code: a letter and four digits, e.g. A9597\./],
    ['/codes/A9597%20OR%201=1', /is not a HCPCS Level II code/],
    ['/codes/%E0%A4%A', /not valid percent-encoding/],
    [
      '/codes/A9597?asOf=2026-02-30',
      /&quot;asOf&quot; must be a calendar date in the form YYYY-MM-DD, e\.g\. 2026-01-01 \(got &quot;2026-02-30&quot;\)\./,
    ],
    ['/?q=pet&asOf=yesterday', /&quot;asOf&quot; must be a calendar date/],
    ['/?q=%00', /must not contain NUL characters/],
    [`/?q=${'a'.repeat(201)}`, /at most 200 characters \(got 201\)/],
  ])('%s: a 400 page naming the problem, before any SQL', async (path, problem) => {
    const { result, count } = await countStatements(() => get(path));
    expect(result.status).toBe(400);
    expect(result.body).toMatch(problem);
    expect(parseErrors(result.body)).toEqual([]);
    expectNoInternals(result.body);
    expect(count).toBe(0);
  });

  it('answers an unknown code with a 404 page listing the closest codes', async () => {
    const { status, headers, body } = await get('/codes/A9598');
    expect(status).toBe(404);
    expect(headers.get('etag')).toBeNull();
    expect(body).toContain('A9598 is not in the HCPCS release in force today.');
    expect(body).toMatch(/<a href="\/codes\/A9597">A9597<\/a>/);
    expect(parseErrors(body)).toEqual([]);
  });

  it('answers a code before its release with a 404 page for that date', async () => {
    const { status, body } = await get('/codes/A9597?asOf=2001-01-01');
    expect(status).toBe(404);
    expect(body).toContain('A9597 is not in the HCPCS release in force on 2001-01-01.');
  });

  it('answers other methods with 405 and the methods it allows', async () => {
    const { status, headers, body } = await get('/codes/A9597', {}, 'POST');
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('GET, HEAD');
    expect(body).toContain('Pages answer GET and HEAD, not POST.');
  });

  it('answers an unexpected failure with a 500 page naming the request id, and logs it once with its stack', async () => {
    const lines: { level: number; msg: string; err?: { stack?: string } }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const yoga = createRefgraphYoga({ logger });
    // A database without refgraph's tables: every query fails, and not for want of a connection.
    const wrong = createPrismaClient(`${inject('serverUrl')}/postgres`);
    usePrismaClient(wrong);
    try {
      const response = await yoga.fetch('http://refgraph.test/codes/A9597', {
        headers: { 'x-request-id': 'page-500-test' },
      });
      const body = await response.text();
      expect(response.status).toBe(500);
      expect(body).toContain('The error is logged under request id <code>page-500-test</code>');
      expectNoInternals(body);
    } finally {
      usePrismaClient(db);
      await wrong.$disconnect();
    }
    const errors = lines.filter((line) => line.level >= 50);
    expect(errors.map((line) => line.msg)).toEqual(['unexpected error while building a page']);
    expect(errors[0]!.err?.stack).toBeTruthy();
  });

  describe('while the database is away', () => {
    let away: Db;
    beforeAll(() => {
      away = createPrismaClient('postgresql://postgres@127.0.0.1:1/refgraph', { connectTimeoutMs: 500 });
      usePrismaClient(away);
    });
    afterAll(async () => {
      usePrismaClient(db);
      await away.$disconnect();
    });

    it.each(['/', '/?q=pet+tumor', '/codes/A9597'])('%s: a 503 page that asks to retry', async (path) => {
      const { status, headers, body } = await get(path);
      expect(status).toBe(503);
      expect(headers.get('retry-after')).toBe('1');
      expect(body).toContain('refgraph cannot reach its database right now. Reload the page in a moment.');
      expect(parseErrors(body)).toEqual([]);
      expectNoInternals(body);
    });
  });
});
