// The human-readable pages, served by the gateway itself: `/` (search) and `/codes/<code>` (a
// code's briefing). The caller is decided first, by the API's rules (anonymous unless
// REQUIRE_API_KEY; a made-up key is refused), with the key as the password of HTTP Basic, since a
// browser cannot send headers on a page visit; under REQUIRE_API_KEY the key needs the read scope.
// Then the address is checked (400), then the ETag (304: the data version, and today's date for
// pages that answer as of today), then the page. A database outage is a 503 page.
import type { Plugin } from 'graphql-yoga';
import { authenticate, hasScope, presentedApiKey } from '../auth/api-keys.js';
import { isoDate } from '../briefing/collect.js';
import { currentDataVersion } from '../db/data-version.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { requestIdOf } from '../observability/request-context.js';
import { codePage, parseCodeRequest } from '../pages/code.js';
import { homePage, parseHomeRequest } from '../pages/home.js';
import { LAYOUT_REVISION, layout, type Navigation, type PageResult } from '../pages/layout.js';
import {
  badRequestPage,
  forbiddenPage,
  internalErrorPage,
  methodNotAllowedPage,
  unauthorizedPage,
  unavailablePage,
} from '../pages/problem.js';
import { BadPageRequest } from '../pages/query.js';
import { htmlResponse, notModified } from '../pages/respond.js';

export interface PagesOptions {
  logger: Logger;
  requireApiKey: boolean;
}

/** A page's answer once its address is understood: what it asks, and how to build it. */
interface Route {
  asOf?: Date;
  render(): Promise<PageResult>;
}

/** The page an address asks for; undefined for addresses that are not pages. */
function route(url: URL): (() => Route) | undefined {
  if (url.pathname === '/') {
    return () => {
      const request = parseHomeRequest(url);
      return { asOf: request.asOf, render: () => homePage(request) };
    };
  }
  const code = /^\/codes\/([^/]+)$/.exec(url.pathname)?.[1];
  if (code !== undefined) {
    return () => {
      const request = parseCodeRequest(code, url);
      return { asOf: request.asOf, render: () => codePage(request) };
    };
  }
  return undefined;
}

/**
 * Weak (the body differs per content encoding), and per address by nature. A page without asOf
 * answers as of today, so the date is part of it; the navigation depends on the caller's scopes.
 */
function pageEtag(dataVersion: string, asOf: Date | undefined, navigation: Navigation): string {
  return `W/"p${LAYOUT_REVISION}-v${dataVersion}-${asOf ? 'pinned' : isoDate(new Date())}-${navigation.metrics ? 'm' : 'n'}"`;
}

export function usePages({ logger, requireApiKey }: PagesOptions): Plugin {
  async function answer(request: Request, page: () => Route): Promise<Response> {
    let navigation: Navigation = { metrics: !requireApiKey };
    const send = (result: PageResult, etag?: string, footer?: string) =>
      htmlResponse(request, layout({ ...result, footer }, navigation), {
        status: result.status,
        etag,
        headers: result.headers,
      });
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(methodNotAllowedPage(request.method));
    try {
      const authentication = await authenticate(request.headers, requireApiKey);
      if ('refused' in authentication) return send(unauthorizedPage(presentedApiKey(request.headers) !== null));
      const { caller } = authentication;
      if (requireApiKey && caller && !hasScope(caller, 'read')) return send(forbiddenPage(caller.keyName));
      navigation = { metrics: !requireApiKey || hasScope(caller, 'metrics') };
      const { asOf, render } = page();
      const dataVersion = await currentDataVersion();
      const etag = pageEtag(dataVersion, asOf, navigation);
      const unchanged = notModified(request, etag);
      if (unchanged) return unchanged;
      const result = await render();
      return send(result, result.status === 200 ? etag : undefined, `Data version ${dataVersion}.`);
    } catch (error) {
      if (error instanceof BadPageRequest) return send(badRequestPage(error.message));
      if (isDatabaseUnavailable(error)) return send(unavailablePage());
      logger.error({ err: error, requestId: requestIdOf(request) }, 'unexpected error while building a page');
      return send(internalErrorPage(requestIdOf(request)));
    }
  }

  return {
    async onRequest({ request, url, endResponse }) {
      const page = route(url);
      if (page) endResponse(await answer(request, page));
    },
  };
}
