// The request id of the request being handled, for every log line written while handling it
// (the logger's mixin reads it), however deep in the code the line is written.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const storage = new AsyncLocalStorage<{ requestId: string; clientAddress?: string }>();

/** A client's x-request-id when it is a plausible id (no log injection), else a new UUID. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

/** Runs `fn` as the handling of one request: its id, and the client's address (TRUST_PROXY decides which). */
export function runWithRequestId<T>(requestId: string, fn: () => T, clientAddress?: string): T {
  return storage.run(clientAddress === undefined ? { requestId } : { requestId, clientAddress }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The address of the client of the request being handled (serve sets it; undefined in-process). */
export function currentClientAddress(): string | undefined {
  return storage.getStore()?.clientAddress;
}

const ids = new WeakMap<Request, string>();

/** The id of a request seen by `useRequestId` (a new one otherwise). */
export function requestIdOf(request: Request): string {
  return ids.get(request) ?? requestIdFrom(request.headers.get('x-request-id'));
}

/** Gives each request an id (the client's x-request-id, or the one serve chose) and echoes it. */
export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      ids.set(request, currentRequestId() ?? requestIdFrom(request.headers.get('x-request-id')));
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id && !response.headers.has('x-request-id')) response.headers.set('x-request-id', id);
    },
  };
}
