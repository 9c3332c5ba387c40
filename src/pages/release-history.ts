// A code's history across the HCPCS releases refgraph holds: which CMS fields changed in which
// release (the briefing's `releases`; the before/after values are in its "Recent changes").
import { isoDate, type BriefingRelease } from '../briefing/collect.js';
import { NO_DATA } from '../briefing/document.js';
import { escapeHtml } from '../briefing/render-html.js';

function whatChanged(release: BriefingRelease): string {
  if (release.changedFields === null) return "First release of this code in refgraph's data";
  return release.changedFields.length === 0 ? 'No change to the fields compared' : release.changedFields.join(', ');
}

export function releaseHistory(releases: readonly BriefingRelease[]): string {
  const heading = '<h2>History across releases</h2>';
  if (releases.length === 0) return `<section id="history">\n${heading}\n<p class="no-data">${NO_DATA}</p>\n</section>`;
  const rows = releases.map(
    (release) =>
      `<tr><td>${escapeHtml(release.release)}</td><td>${isoDate(release.effectiveDate)}</td><td>${escapeHtml(whatChanged(release))}</td><td>${escapeHtml(release.source)}</td></tr>`,
  );
  return [
    '<section id="history">',
    heading,
    '<p>Every release that carried the code up to this page’s date, oldest first, with the fields that differ from the release before it.</p>',
    '<table>',
    '<thead><tr><th scope="col">Release</th><th scope="col">Effective</th><th scope="col">Fields changed</th><th scope="col">Source</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}
