// The address of the client behind a request. Behind a load balancer every connection comes from
// the balancer, so every anonymous client would share its rate-limit bucket; with TRUST_PROXY the
// address comes from X-Forwarded-For, but only from the hops that trusted proxies added (proxy-addr
// walks the header from the nearest hop and stops at the first address it does not trust), so a
// client cannot pick its own address by sending the header itself.
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type ClientAddressOf = (request: IncomingMessage) => string;

/** `trustProxy`: addresses, CIDRs or proxy-addr's names (loopback, linklocal, uniquelocal); empty trusts no one. */
export function clientAddressResolver(trustProxy: readonly string[]): ClientAddressOf {
  if (trustProxy.length === 0) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile([...trustProxy]);
  return (request) => proxyaddr(request, trust);
}
