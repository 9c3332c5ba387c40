// A code's OPPS benchmarks by release as an inline SVG drawn on the server: one point per release,
// oldest on the left, labelled with its status indicator always and placed by its payment rate
// where CMS publishes one. A release without a rate is a hollow point on the baseline marked "no
// rate"; when no release has one, the chart has no rate scale and its caption says so. Nothing
// is inferred: the points are the briefing's benchmark rows as they are.
import { isoDate, type BriefingBenchmark } from '../briefing/collect.js';
import { escapeHtml } from '../briefing/render-html.js';

const WIDTH = 720;
const LEFT = 80;
const RIGHT = 24;
const TOP = 36;
const BOTTOM = 48;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
/** The rate scale's height; without any published rate the plot is only a strip for the labels. */
const RATED_PLOT_HEIGHT = 180;
const UNRATED_PLOT_HEIGHT = 48;
const INK = '#1b1b1b';
const ACCENT = '#1d4f91';
const GRID = '#d0d0d0';

/** A round ceiling for the rate axis: 1, 2 or 5 times a power of ten, at least the highest rate. */
function axisMaximum(highest: number): number {
  const power = 10 ** Math.floor(Math.log10(highest));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= highest) ?? 10 * power;
}

function dollars(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function rateOf(benchmark: BriefingBenchmark): number | null {
  if (benchmark.paymentRate === null) return null;
  const rate = Number(benchmark.paymentRate);
  return Number.isFinite(rate) ? rate : null;
}

function describe(benchmark: BriefingBenchmark): string {
  const rate = rateOf(benchmark);
  const indicator = benchmark.statusIndicator ?? 'not given';
  return `${benchmark.release} (effective ${isoDate(benchmark.effectiveDate)}): status indicator ${indicator}, ${rate === null ? 'no payment rate published' : `payment rate ${dollars(rate)}`}`;
}

/** The chart as a section holding a <figure> (SVG and caption); none without benchmarks (the table says so). */
export function benchmarkChart(code: string, benchmarks: readonly BriefingBenchmark[]): string {
  if (benchmarks.length === 0) return '';
  const points = [...benchmarks].sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime());
  const rates = points.map(rateOf);
  const published = rates.filter((rate): rate is number => rate !== null);
  const top = published.length > 0 ? axisMaximum(Math.max(...published, 0.01)) : null;
  const plotHeight = top === null ? UNRATED_PLOT_HEIGHT : RATED_PLOT_HEIGHT;
  const baseline = TOP + plotHeight;
  const height = baseline + BOTTOM;
  const step = PLOT_WIDTH / points.length;
  const xOf = (i: number) => LEFT + step * (i + 0.5);
  const yOf = (rate: number | null) =>
    rate === null || top === null ? baseline : baseline - (rate / top) * plotHeight;

  const axis: string[] = [
    `<line x1="${LEFT}" y1="${baseline}" x2="${WIDTH - RIGHT}" y2="${baseline}" stroke="${INK}"/>`,
  ];
  if (top !== null) {
    for (const fraction of [0, 0.5, 1]) {
      const y = baseline - fraction * plotHeight;
      if (fraction > 0)
        axis.push(
          `<line x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke="${GRID}" stroke-dasharray="4 4"/>`,
        );
      axis.push(
        `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" font-size="12" fill="${INK}">${dollars(top * fraction)}</text>`,
      );
    }
    axis.push(
      `<text x="16" y="${TOP + plotHeight / 2}" transform="rotate(-90 16 ${TOP + plotHeight / 2})" text-anchor="middle" font-size="12" fill="${INK}">Payment rate (USD)</text>`,
    );
  } else {
    axis.push(
      `<text x="${LEFT + PLOT_WIDTH / 2}" y="20" text-anchor="middle" font-size="14" fill="${INK}">No payment rate is published in any release</text>`,
    );
  }

  const ratedPath = points.flatMap((_, i) => (rates[i] === null ? [] : [`${xOf(i)},${yOf(rates[i]!)}`]));
  const line =
    ratedPath.length > 1
      ? [`<polyline points="${ratedPath.join(' ')}" fill="none" stroke="${ACCENT}" stroke-width="2"/>`]
      : [];

  const marks = points.map((benchmark, i) => {
    const x = xOf(i);
    const rate = rates[i]!;
    const y = yOf(rate);
    const indicator = benchmark.statusIndicator ?? '—';
    return [
      `<g class="chart-point" data-release="${escapeHtml(benchmark.release)}" data-status-indicator="${escapeHtml(benchmark.statusIndicator ?? '')}" data-payment-rate="${rate ?? ''}">`,
      `<circle cx="${x}" cy="${y}" r="6" fill="${rate === null ? '#fff' : ACCENT}" stroke="${ACCENT}" stroke-width="2"/>`,
      `<text x="${x}" y="${y - 14}" text-anchor="middle" font-size="13" font-weight="bold" fill="${INK}">SI ${escapeHtml(indicator)}${rate === null ? ' · no rate' : ` · ${dollars(rate)}`}</text>`,
      `<text x="${x}" y="${baseline + 20}" text-anchor="middle" font-size="12" fill="${INK}">${escapeHtml(benchmark.release)}</text>`,
      `<text x="${x}" y="${baseline + 36}" text-anchor="middle" font-size="11" fill="${INK}">${isoDate(benchmark.effectiveDate)}</text>`,
      '</g>',
    ].join('');
  });

  const title = `OPPS benchmarks for ${code}, one point per release`;
  const caption =
    published.length === 0
      ? `No OPPS payment rate is published for ${code} in any of the ${points.length} loaded release(s); each point shows the release's status indicator. `
      : 'Filled points: the national unadjusted payment rate; hollow points on the baseline: releases that publish no rate. Each point is labelled with its status indicator (SI). ';
  return [
    '<section id="benchmark-chart">',
    '<h2>OPPS benchmarks by release</h2>',
    '<figure>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="benchmark-chart-title benchmark-chart-desc">`,
    `<title id="benchmark-chart-title">${escapeHtml(title)}</title>`,
    `<desc id="benchmark-chart-desc">${escapeHtml(points.map(describe).join('; '))}.</desc>`,
    ...axis,
    ...line,
    ...marks,
    '</svg>',
    `<figcaption>${escapeHtml(caption)}Source: ${escapeHtml([...new Set(points.map((p) => p.source))].join('; '))}. The same figures are in the Benchmarks table above.</figcaption>`,
    '</figure>',
    '</section>',
  ].join('\n');
}
