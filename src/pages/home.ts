// `/`: a search box (the tiered search GraphQL's `search` runs, optionally as of a date), its
// hits, and the releases refgraph has loaded per code system. Two statements, whatever the text.
import { escapeHtml } from '../briefing/render-html.js';
import { isoDate } from '../briefing/collect.js';
import { prisma } from '../db/client.js';
import { SEARCHABLE_SYSTEMS, search } from '../db/search.js';
import type { PageResult } from './layout.js';
import { asOfParam, searchTextParam } from './query.js';
import { searchHitsTable } from './search-hits.js';

const HITS_SHOWN = 25;

export interface HomeRequest {
  text?: string;
  asOf?: Date;
}

export function parseHomeRequest(url: URL): HomeRequest {
  return { text: searchTextParam(url), asOf: asOfParam(url) };
}

function loadedReleases() {
  return prisma().codeSystem.findMany({
    orderBy: { id: 'asc' },
    select: {
      name: true,
      publisher: true,
      releases: {
        orderBy: [{ effectiveDate: 'desc' }, { id: 'desc' }],
        select: { name: true, effectiveDate: true, recordCount: true, sourceFile: true, origin: true },
      },
    },
  });
}

function searchForm({ text, asOf }: HomeRequest): string {
  return [
    '<form class="query" method="get" action="/" role="search">',
    `<div><label for="q">Code or words</label><input type="search" id="q" name="q" maxlength="200" required value="${escapeHtml(text ?? '')}" placeholder="A9597, A95, pet tumor"></div>`,
    `<div><label for="asOf">As of (optional)</label><input type="date" id="asOf" name="asOf" value="${asOf ? isoDate(asOf) : ''}"></div>`,
    '<div><button type="submit">Search</button></div>',
    '</form>',
  ].join('\n');
}

function releasesSection(systems: Awaited<ReturnType<typeof loadedReleases>>): string {
  const rows = systems.flatMap((system) =>
    system.releases.map(
      (release) =>
        `<tr><td>${escapeHtml(system.name)}</td><td>${escapeHtml(release.name)}</td><td>${isoDate(release.effectiveDate)}</td>` +
        `<td>${release.recordCount.toLocaleString('en-US')}</td>` +
        `<td>${escapeHtml(release.origin === 'STARTER' ? "refgraph's starter data" : (release.sourceFile ?? `${system.publisher} (file name not recorded)`))}</td></tr>`,
    ),
  );
  const table =
    rows.length === 0
      ? '<p class="no-data">Data not available: no release is loaded.</p>'
      : [
          '<table>',
          '<thead><tr><th scope="col">Code system</th><th scope="col">Release</th><th scope="col">Effective</th><th scope="col">Records</th><th scope="col">Source file</th></tr></thead>',
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>',
        ].join('\n');
  return `<section id="releases">\n<h2>Releases loaded</h2>\n<p>Newest first within each code system. A code's page answers from the release in force on its date.</p>\n${table}\n</section>`;
}

export async function homePage(request: HomeRequest): Promise<PageResult> {
  const [hits, systems] = await Promise.all([
    request.text
      ? search({ text: request.text, limit: HITS_SHOWN, systems: SEARCHABLE_SYSTEMS, asOf: request.asOf })
      : undefined,
    loadedReleases(),
  ]);
  const when = request.asOf ? ` as of ${isoDate(request.asOf)}` : '';
  const results = request.text
    ? `<section id="results" aria-live="polite">\n<h2>Results</h2>\n${searchHitsTable(hits ?? [], `Hits for “${request.text}”${when}, best first`, request.asOf)}\n</section>`
    : '';
  return {
    status: 200,
    title: request.text ? `Search: ${request.text}` : 'Search codes',
    main: [
      '<h1>refgraph: HCPCS codes, modifiers, places of service, taxonomies</h1>',
      '<p class="subtitle">Search by code, code prefix or words. A HCPCS code opens its national briefing, with every fact’s source and release.</p>',
      searchForm(request),
      results,
      releasesSection(systems),
    ].join('\n'),
  };
}
