// `/codes/<code>[?asOf=YYYY-MM-DD]`: the code's national briefing as a page (the renderer the
// GraphQL `briefing` field uses, section by section), with a chart of its OPPS benchmarks after
// the benchmarks table and its history across releases after the recent changes. The data is the
// briefing collector's, so a page costs the collector's fixed number of statements. An unknown
// code is a 404 page listing the closest codes the search finds.
import { collectBriefing, isoDate } from '../briefing/collect.js';
import { briefingDocument } from '../briefing/document.js';
import { escapeHtml, renderSection } from '../briefing/render-html.js';
import { prisma } from '../db/client.js';
import { search, type SearchRow } from '../db/search.js';
import { benchmarkChart } from './benchmark-chart.js';
import type { PageResult } from './layout.js';
import { asOfParam, codeParam } from './query.js';
import { releaseHistory } from './release-history.js';
import { searchHitsTable } from './search-hits.js';

const CLOSEST_HITS = 10;

export interface CodeRequest {
  code: string;
  asOf?: Date;
}

export function parseCodeRequest(segment: string, url: URL): CodeRequest {
  return { code: codeParam(segment), asOf: asOfParam(url) };
}

/** Codes sharing the longest prefix with `code` (A959, then A95, ...), as the search ranks them. */
async function closestCodes(code: string, asOf?: Date): Promise<SearchRow[]> {
  for (let length = code.length - 1; length > 0; length -= 1) {
    const hits = await search({ text: code.slice(0, length), limit: CLOSEST_HITS, systems: ['HCPCS'], asOf });
    if (hits.length > 0) return hits;
  }
  return [];
}

function asOfForm(request: CodeRequest): string {
  return [
    `<form class="query" method="get" action="/codes/${encodeURIComponent(request.code)}">`,
    `<div><label for="asOf">Show the code as of</label><input type="date" id="asOf" name="asOf" value="${request.asOf ? isoDate(request.asOf) : ''}"></div>`,
    '<div><button type="submit">Show</button></div>',
    '</form>',
  ].join('\n');
}

async function unknownCode(request: CodeRequest): Promise<PageResult> {
  const on = request.asOf ? isoDate(request.asOf) : 'today';
  const hits = await closestCodes(request.code, request.asOf);
  return {
    status: 404,
    title: `Unknown code ${request.code}`,
    main: [
      `<h1>No HCPCS code ${escapeHtml(request.code)}</h1>`,
      `<p class="problem">${escapeHtml(request.code)} is not in the HCPCS release in force ${request.asOf ? `on ${on}` : 'today'}.</p>`,
      '<h2>Closest codes</h2>',
      searchHitsTable(hits, `Codes nearest to ${request.code}`, request.asOf),
      `<p><a href="/?q=${encodeURIComponent(request.code)}">Search for ${escapeHtml(request.code)}</a></p>`,
    ].join('\n'),
  };
}

export async function codePage(request: CodeRequest): Promise<PageResult> {
  const briefing = await collectBriefing(prisma(), request.code, { asOf: request.asOf });
  if (!briefing) return unknownCode(request);
  const document = briefingDocument(briefing);
  const sections = document.sections.flatMap((section) => {
    const html = renderSection(section);
    if (section.id === 'benchmarks' && briefing.benchmarks.length > 0)
      return [html, benchmarkChart(briefing.code, briefing.benchmarks)];
    if (section.id === 'recent-changes') return [html, releaseHistory(briefing.releases)];
    return [html];
  });
  return {
    status: 200,
    title: `${briefing.code} briefing${request.asOf ? ` as of ${isoDate(request.asOf)}` : ''}`,
    main: [
      `<h1>${escapeHtml(document.title)}</h1>`,
      `<p class="subtitle">${escapeHtml(document.subtitle)}</p>`,
      asOfForm(request),
      ...sections,
    ].join('\n'),
  };
}
