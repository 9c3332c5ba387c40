// TRUST_PROXY: the client's address comes from X-Forwarded-For only as far as trusted proxies
// wrote it, over a real socket (node:http), so a client cannot choose its own address.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { clientAddressResolver } from '../../src/http/client-address.js';

let server: Server;
let port: number;
let trust: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => response.end(clientAddressResolver(trust)(request)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function addressSeen(trusted: string[], forwardedFor?: string): Promise<string> {
  trust = trusted;
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  return response.text();
}

describe('TRUST_PROXY', () => {
  it('ignores X-Forwarded-For unless the connection comes from a trusted proxy', async () => {
    expect(await addressSeen([], '203.0.113.9')).toBe('127.0.0.1');
    expect(await addressSeen(['10.0.0.0/8'], '203.0.113.9')).toBe('127.0.0.1');
  });

  it('takes the address the trusted proxy saw, not one the client wrote itself', async () => {
    expect(await addressSeen(['127.0.0.1'], '203.0.113.9')).toBe('203.0.113.9');
    expect(await addressSeen(['127.0.0.0/8'], '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    // Two trusted hops (a CDN in 10/8 in front of the balancer): the address before both.
    expect(await addressSeen(['loopback', '10.0.0.0/8'], '6.6.6.6, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(await addressSeen(['127.0.0.1'])).toBe('127.0.0.1');
  });

  it('is validated at start: addresses, CIDRs or proxy-addr names', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'loopback',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'the balancer' })).toThrow(/TRUST_PROXY/);
  });
});
