// Search hits as a table: code (a link to its page for HCPCS codes), system, title and what the
// text matched on, in the order the tiered search ranked them. Used by `/` and the 404 page.
import { escapeHtml } from '../briefing/render-html.js';
import { isoDate } from '../briefing/collect.js';
import { NO_DATA } from '../briefing/document.js';
import type { MatchTier, SearchableSystem, SearchRow } from '../db/search.js';

const SYSTEM_NAMES: Record<SearchableSystem, string> = {
  HCPCS: 'HCPCS Level II',
  MODIFIER: 'Modifier',
  PLACE_OF_SERVICE: 'Place of service',
  TAXONOMY: 'Provider taxonomy',
};

const MATCHES: Record<MatchTier, string> = {
  EXACT_CODE: 'the code itself',
  CODE_PREFIX: 'the start of the code',
  WORD_PREFIX: 'every word, as the start of a word of the title',
  FULL_TEXT: 'the words (full text, English stemming)',
  SIMILAR: 'a similar spelling',
};

/** The address of a code's page, keeping the date the reader asked about. */
export function codePageHref(code: string, asOf?: Date): string {
  return `/codes/${encodeURIComponent(code)}${asOf ? `?asOf=${isoDate(asOf)}` : ''}`;
}

export function searchHitsTable(hits: readonly SearchRow[], caption: string, asOf?: Date): string {
  if (hits.length === 0) return `<p class="no-data">${NO_DATA}: nothing matched.</p>`;
  const rows = hits.map((hit) => {
    const code =
      hit.kind === 'HCPCS'
        ? `<a href="${escapeHtml(codePageHref(hit.code, asOf))}">${escapeHtml(hit.code)}</a>`
        : escapeHtml(hit.code);
    return `<tr><td>${code}</td><td>${SYSTEM_NAMES[hit.kind]}</td><td>${escapeHtml(hit.title)}</td><td>${MATCHES[hit.matchedOn]}</td></tr>`;
  });
  return [
    '<table class="hits">',
    `<caption>${escapeHtml(caption)}</caption>`,
    '<thead><tr><th scope="col">Code</th><th scope="col">System</th><th scope="col">Title</th><th scope="col">Matched on</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}
