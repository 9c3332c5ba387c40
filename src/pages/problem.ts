// The pages for requests a page cannot answer. Each says what happened and what to do, in words;
// none shows a stack trace or an internal message (those go to the log, under the request id).
import { escapeHtml } from '../briefing/render-html.js';
import type { PageResult } from './layout.js';

function problem(status: number, title: string, paragraphs: string[], headers?: Record<string, string>): PageResult {
  const body = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
  return {
    status,
    title,
    headers,
    main: `<h1>${escapeHtml(title)}</h1>\n<div class="problem">\n${body}\n</div>\n<p><a href="/">Search codes</a></p>`,
  };
}

/** 400: the address names the problem (`BadPageRequest`'s message). */
export function badRequestPage(message: string): PageResult {
  return problem(400, 'Bad request', [escapeHtml(message)]);
}

/**
 * 401: the browser asks for the key (HTTP Basic: the key is the password). Keys never travel in
 * the address, where history, logs and Referer headers would keep them.
 */
export function unauthorizedPage(keyRefused: boolean): PageResult {
  return problem(
    401,
    'API key required',
    [
      keyRefused ? 'The API key you entered is unknown or revoked.' : 'These pages need an API key.',
      'Your browser asks for it: enter anything (for example <code>key</code>) as the user name and your API key (<code>rg_...</code>) as the password.',
      'A key is never accepted in the address (URL): a link holding one would leave it in browser history, server logs and Referer headers.',
      'Programs may send it as the header <code>x-api-key</code> or <code>Authorization: Bearer</code>.',
    ],
    { 'www-authenticate': 'Basic realm="refgraph", charset="UTF-8"' },
  );
}

/** 403: a key that may not read (a `metrics` key is for Prometheus and reads nothing else). */
export function forbiddenPage(keyName: string): PageResult {
  return problem(403, 'Not allowed', [
    `The API key “${escapeHtml(keyName)}” has no “read” scope, so it cannot read these pages.`,
  ]);
}

export function methodNotAllowedPage(method: string): PageResult {
  return problem(405, 'Method not allowed', [`Pages answer GET and HEAD, not ${escapeHtml(method)}.`], {
    allow: 'GET, HEAD',
  });
}

/** 503 while the database cannot be reached: temporary, so the browser or proxy retries. */
export function unavailablePage(): PageResult {
  return problem(
    503,
    'Data temporarily unavailable',
    ['refgraph cannot reach its database right now. Reload the page in a moment.'],
    {
      'retry-after': '1',
    },
  );
}

export function internalErrorPage(requestId: string): PageResult {
  return problem(500, 'Something went wrong', [
    `refgraph could not build this page. The error is logged under request id <code>${escapeHtml(requestId)}</code>; quote it when you report the problem.`,
  ]);
}
