// `refgraph ingest <kind> https://...`: fetch a file as its publisher serves it, with a size cap,
// an overall timeout, a stall timeout and a bounded number of redirects, and refuse what is not a
// data file (an error status, an HTML page served with 200, a body cut short). Node's own fetch
// (undici) does the HTTP; redirects are followed here so each hop is checked.
import { IngestError } from './errors.js';

export interface DownloadOptions {
  /** Largest body accepted, in bytes. */
  maxBytes?: number;
  /** Whole download, from the first request to the last byte. */
  timeoutMs?: number;
  /** Longest wait for the next bytes of the body (a server that stalls). */
  stallTimeoutMs?: number;
  maxRedirects?: number;
  /** Bytes received so far, and the total when the server said it. */
  onProgress?: (received: number, total: number | undefined) => void;
}

export interface Downloaded {
  bytes: Buffer;
  /** The file name: from Content-Disposition, else the last segment of the final URL's path. */
  fileName: string;
  /** The URL asked for, and where the file came from after redirects. */
  url: string;
  finalUrl: string;
}

export const DOWNLOAD_DEFAULTS = {
  maxBytes: 100 * 1024 * 1024,
  timeoutMs: 10 * 60_000,
  stallTimeoutMs: 30_000,
  maxRedirects: 5,
} as const;

const REDIRECT = new Set([301, 302, 303, 307, 308]);
const HTML_START = /^\s*(<!doctype html|<html|<head|<body)/i;

export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * The connection broke before any answer came, as when a server closes a kept-alive connection
 * just as it is reused: asking again on a fresh connection is safe for a GET.
 */
function isResetBeforeAnswer(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

export async function download(url: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const { maxBytes, timeoutMs, stallTimeoutMs, maxRedirects } = { ...DOWNLOAD_DEFAULTS, ...options };
  const at = { file: url };
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new IngestError(at, 'not a valid URL');
  }
  if (current.protocol !== 'https:' && current.protocol !== 'http:')
    throw new IngestError(at, 'only http:// and https:// URLs can be downloaded');

  const controller = new AbortController();
  let why: string | undefined;
  const cancel = (reason: string) => {
    why ??= reason;
    controller.abort();
  };
  const overall = setTimeout(() => cancel(`no complete answer within ${timeoutMs / 1000} s`), timeoutMs);
  let stall: NodeJS.Timeout | undefined;
  const watchStall = () => {
    clearTimeout(stall);
    stall = setTimeout(() => cancel(`the server sent nothing for ${stallTimeoutMs / 1000} s`), stallTimeoutMs);
  };
  const failed = (error: unknown, received?: number, total?: number): never => {
    if (error instanceof IngestError) throw error;
    if (why)
      throw new IngestError(
        at,
        `download stopped: ${why}${received !== undefined ? ` (after ${received} bytes)` : ''}`,
      );
    if (received !== undefined && total !== undefined && received < total) {
      throw new IngestError(at, `download cut short: ${received} of the ${total} bytes the server announced`);
    }
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new IngestError(at, `download failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  };

  try {
    let response: Response;
    for (let hop = 0; ; hop++) {
      watchStall();
      const ask = () => fetch(current, { redirect: 'manual', signal: controller.signal });
      response = await ask().catch((error: unknown) =>
        why || !isResetBeforeAnswer(error) ? failed(error) : ask().catch((again: unknown) => failed(again)),
      );
      if (!REDIRECT.has(response.status)) break;
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location) throw new IngestError(at, `the server answered ${response.status} without a Location to go to`);
      if (hop >= maxRedirects) throw new IngestError(at, `more than ${maxRedirects} redirects (last to ${location})`);
      const next = new URL(location, current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new IngestError(at, `redirected to a ${next.protocol} URL, which is not downloaded`);
      if (current.protocol === 'https:' && next.protocol === 'http:')
        throw new IngestError(at, `redirected from https to plain http (${next.href}): refused`);
      current = next;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new IngestError(
        at,
        `the server answered ${response.status} ${response.statusText}`.trim() +
          (current.href !== url ? ` for ${current.href}` : ''),
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html|application\/xhtml/i.test(type)) {
      await response.body?.cancel();
      throw new IngestError(
        at,
        `the server sent a web page (${type}), not a data file: an error or sign-in page? Download it in a browser to see`,
      );
    }
    const announced = response.headers.get('content-length');
    const total = announced !== null && /^\d+$/.test(announced) ? Number(announced) : undefined;
    if (total !== undefined && total > maxBytes) {
      await response.body?.cancel();
      throw new IngestError(at, `refused: the file is ${total} bytes, more than the ${maxBytes} allowed (--max-size)`);
    }

    const chunks: Buffer[] = [];
    let received = 0;
    try {
      // Node's web streams are async iterables (the DOM typings do not say so).
      for await (const chunk of (response.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
        watchStall();
        received += chunk.length;
        if (received > maxBytes) {
          cancel('too large');
          throw new IngestError(at, `refused: the file is larger than the ${maxBytes} bytes allowed (--max-size)`);
        }
        chunks.push(Buffer.from(chunk));
        options.onProgress?.(received, total);
      }
    } catch (error) {
      failed(error, received, total);
    }
    if (total !== undefined && received < total) failed(new Error('short body'), received, total);
    const bytes = Buffer.concat(chunks, received);
    if (HTML_START.test(bytes.subarray(0, 512).toString('latin1'))) {
      throw new IngestError(
        at,
        'the server sent a web page, not a data file (it starts with an HTML tag): an error or sign-in page?',
      );
    }
    if (bytes.length === 0) throw new IngestError(at, 'the server sent an empty file');
    return {
      bytes,
      fileName: fileNameOf(response.headers.get('content-disposition'), current),
      url,
      finalUrl: current.href,
    };
  } finally {
    clearTimeout(overall);
    clearTimeout(stall);
  }
}

/** `attachment; filename="x.zip"` (or filename*=UTF-8''x.zip), else the URL's last path segment. */
function fileNameOf(disposition: string | null, url: URL): string {
  const star = disposition && /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(disposition)?.[1];
  const plain = disposition && /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
  const candidate = star
    ? safeDecode(star)
    : (plain ?? safeDecode(url.pathname.split('/').filter(Boolean).pop() ?? ''));
  const name = candidate.replace(/[/\\]/g, '_').trim();
  return name || 'download';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
