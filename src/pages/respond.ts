// How a page travels: security headers on every answer, an ETag and 304 for unchanged pages, and
// brotli or gzip when the client accepts it (the pages are text; hospital links can be slow).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { CONTENT_SECURITY_POLICY } from './layout.js';

/** Smaller bodies are sent as they are: compressing them saves nothing worth the CPU. */
const COMPRESS_FROM_BYTES = 1_024;

export type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (`Accept-Encoding`, q=0 refuses), brotli first. */
export function acceptedEncoding(header: string | null): Encoding | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: Encoding) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

export function encode(body: Buffer, encoding: Encoding): Buffer {
  // Brotli's default quality (11) costs tens of milliseconds per page; 5 is most of the gain.
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(body);
}

function commonHeaders(): Headers {
  return new Headers({
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // A page depends on the caller (its key decides what it may see) and the data version: a
    // browser may keep it but must ask again (If-None-Match), and no shared cache may keep it.
    'cache-control': 'private, no-cache',
    vary: 'Accept-Encoding, Authorization',
  });
}

export interface PageResponseInit {
  status: number;
  etag?: string;
  headers?: Record<string, string>;
}

export function htmlResponse(
  request: Request,
  html: string,
  { status, etag, headers = {} }: PageResponseInit,
): Response {
  const responseHeaders = commonHeaders();
  responseHeaders.set('content-type', 'text/html; charset=utf-8');
  if (etag) responseHeaders.set('etag', etag);
  for (const [name, value] of Object.entries(headers)) responseHeaders.set(name, value);
  let body: Buffer = Buffer.from(html, 'utf8');
  const encoding = body.length >= COMPRESS_FROM_BYTES ? acceptedEncoding(request.headers.get('accept-encoding')) : null;
  if (encoding) {
    body = encode(body, encoding);
    responseHeaders.set('content-encoding', encoding);
  }
  responseHeaders.set('content-length', String(body.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status, headers: responseHeaders });
}

/** 304 when the client's `If-None-Match` names `etag` (or `*`); undefined when the page must be sent. */
export function notModified(request: Request, etag: string): Response | undefined {
  const header = request.headers.get('if-none-match');
  if (!header) return undefined;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const matches = header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
  if (!matches) return undefined;
  const headers = commonHeaders();
  headers.set('etag', etag);
  return new Response(null, { status: 304, headers });
}
