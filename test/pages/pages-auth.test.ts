// The pages under REQUIRE_API_KEY=true: the browser is asked for the key with HTTP Basic (the key
// is the password), the 401 page says so, a made-up key is refused, and /metrics is linked only for
// a key that may read it. Without REQUIRE_API_KEY, anonymous readers are served but a made-up key
// is still refused, as for GraphQL.
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';
import { countStatements, useTestDatabase } from '../support/database.js';

let keys: Record<'read' | 'admin' | 'metrics', string>;
let required: RefgraphYoga;
let optional: RefgraphYoga;

beforeAll(async () => {
  const { db } = await useTestDatabase();
  required = createRefgraphYoga({ logger: pino({ level: 'silent' }), requireApiKey: true });
  optional = createRefgraphYoga({ logger: pino({ level: 'silent' }) });
  keys = {
    read: (await createApiKey(db, 'analyst', ['read'])).key,
    admin: (await createApiKey(db, 'operator', ['admin'])).key,
    metrics: (await createApiKey(db, 'prometheus', ['metrics'])).key,
  };
});

const basic = (password: string, user = 'key') => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

async function get(yoga: RefgraphYoga, path: string, headers: Record<string, string> = {}) {
  const response = await yoga.fetch(`http://refgraph.test${path}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('REQUIRE_API_KEY=true', () => {
  it('asks for the key with HTTP Basic, says how on the 401 page, and runs no SQL', async () => {
    for (const path of ['/', '/codes/A9597', '/codes/not-a-code']) {
      const { result, count } = await countStatements(() => get(required, path));
      expect(result.status).toBe(401);
      expect(result.headers.get('www-authenticate')).toBe('Basic realm="refgraph", charset="UTF-8"');
      expect(result.body).toContain('These pages need an API key.');
      expect(result.body).toContain('your API key (<code>rg_...</code>) as the password');
      expect(result.body).toContain('A key is never accepted in the address (URL)');
      expect(result.body).not.toContain('Positron');
      expect(count).toBe(0);
    }
  });

  it('refuses a made-up key, and ignores one put in the address', async () => {
    const refused = await get(required, '/codes/A9597', basic('rg_made-up'));
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('The API key you entered is unknown or revoked.');
    const inUrl = await get(required, `/codes/A9597?apiKey=${keys.read}&key=${keys.read}`);
    expect(inUrl.status).toBe(401);
  });

  it('serves a read key given as the Basic password (any user name), without a /metrics link', async () => {
    for (const user of ['key', '', 'dana']) {
      const { status, body } = await get(required, '/codes/A9597', basic(keys.read, user));
      expect(status).toBe(200);
      expect(body).toContain('<h1>National briefing: HCPCS A9597</h1>');
      expect(body).toContain('<a href="/graphql">');
      expect(body).not.toContain('href="/metrics"');
    }
    expect((await get(required, '/', { 'x-api-key': keys.read })).status).toBe(200);
  });

  it('links /metrics for a key that may read it, and /metrics takes the same Basic credentials', async () => {
    const page = await get(required, '/', basic(keys.admin));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<a href="/metrics">');
    expect((await get(required, '/metrics', basic(keys.admin))).status).toBe(200);
    expect((await get(required, '/metrics', basic(keys.read))).status).toBe(403);
  });

  it('gives a key with no read scope a 403 page', async () => {
    const { status, body } = await get(required, '/codes/A9597', basic(keys.metrics));
    expect(status).toBe(403);
    expect(body).toContain('has no “read” scope');
  });

  it('gives each caller its own ETag (the navigation differs)', async () => {
    const read = (await get(required, '/codes/A9597', basic(keys.read))).headers.get('etag');
    const admin = (await get(required, '/codes/A9597', basic(keys.admin))).headers.get('etag');
    expect(read).not.toBe(admin);
    const revalidated = await get(required, '/codes/A9597', { ...basic(keys.read), 'if-none-match': read! });
    expect(revalidated.status).toBe(304);
    // The key is checked before the ETag: a valid ETag does not let an anonymous caller through.
    expect((await get(required, '/codes/A9597', { 'if-none-match': read! })).status).toBe(401);
  });

  it('lets GraphiQL and the API take the same Basic credentials', async () => {
    const response = await required.fetch('http://refgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic(keys.read) },
      body: JSON.stringify({ query: '{ code(code: "A9597") { code } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { code: { code: 'A9597' } } });
  });
});

describe('REQUIRE_API_KEY=false', () => {
  it('serves anonymous readers, with the /metrics link', async () => {
    const { status, body } = await get(optional, '/');
    expect(status).toBe(200);
    expect(body).toContain('<a href="/metrics">');
  });

  it('still refuses a made-up key', async () => {
    const { status, headers } = await get(optional, '/codes/A9597', basic('rg_made-up'));
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Basic /);
  });
});
