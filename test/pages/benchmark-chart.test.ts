// The benchmark chart on its own: one point per release, oldest first, placed by the payment rate
// where one is published and on the baseline (hollow, "no rate") where none is.
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import type { BriefingBenchmark } from '../../src/briefing/collect.js';
import { benchmarkChart } from '../../src/pages/benchmark-chart.js';

type Element = DefaultTreeAdapterMap['element'];

function benchmark(release: string, statusIndicator: string | null, paymentRate: string | null): BriefingBenchmark {
  return {
    effectiveDate: new Date(`${release}-01T00:00:00Z`),
    statusIndicator,
    apc: null,
    paymentRate,
    relativeWeight: null,
    nationalCopayment: null,
    minimumCopayment: null,
    source: `CMS OPPS Addendum B (${release}.csv)`,
    release,
  };
}

function elements(node: { childNodes?: unknown[] }, name: string, found: Element[] = []): Element[] {
  for (const child of (node.childNodes ?? []) as Element[]) {
    if (child.nodeName === name) found.push(child);
    elements(child, name, found);
  }
  return found;
}

const attribute = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function points(html: string) {
  const groups = elements(parseFragment(html), 'g').filter((g) => attribute(g, 'class') === 'chart-point');
  return groups.map((g) => ({
    release: attribute(g, 'data-release'),
    indicator: attribute(g, 'data-status-indicator'),
    rate: attribute(g, 'data-payment-rate'),
    cy: Number(attribute(elements(g, 'circle')[0]!, 'cy')),
    fill: attribute(elements(g, 'circle')[0]!, 'fill'),
  }));
}

describe('benchmarkChart', () => {
  it('draws one point per release, oldest first, higher rates higher, releases without a rate hollow on the baseline', () => {
    const html = benchmarkChart('J1234', [
      benchmark('2026-04', 'K', '150.00'),
      benchmark('2025-01', 'N', null),
      benchmark('2024-01', 'K', '75.5'),
    ]);
    const drawn = points(html);
    expect(drawn.map((p) => [p.release, p.indicator, p.rate])).toEqual([
      ['2024-01', 'K', '75.5'],
      ['2025-01', 'N', ''],
      ['2026-04', 'K', '150'],
    ]);
    const [first, unrated, last] = drawn;
    expect(last!.cy).toBeLessThan(first!.cy);
    expect(unrated!.cy).toBeGreaterThan(first!.cy);
    expect(unrated!.fill).toBe('#fff');
    expect(html).toContain('SI N · no rate');
    expect(html).toContain('SI K · $150.00');
    expect(html).toContain('$200.00');
    expect(html).toMatch(/<polyline points="[^"]+"/);
    expect(html).toMatch(/hollow points on the baseline: releases that publish no rate/);
  });

  it('says that no rate is published when no release has one, and draws no rate scale', () => {
    const html = benchmarkChart('A9597', [benchmark('2026-04', 'N', null), benchmark('2023-01', 'N', null)]);
    expect(points(html).map((p) => [p.release, p.indicator, p.rate])).toEqual([
      ['2023-01', 'N', ''],
      ['2026-04', 'N', ''],
    ]);
    expect(html).toContain('No payment rate is published in any release');
    expect(html).toContain('No OPPS payment rate is published for A9597 in any of the 2 loaded release(s)');
    expect(html).not.toContain('$');
    expect(html).not.toContain('<polyline');
    expect(html).toContain(
      '<desc id="benchmark-chart-desc">2023-01 (effective 2023-01-01): status indicator N, no payment rate published;',
    );
  });

  it('escapes what comes from the files', () => {
    const html = benchmarkChart('A9597', [benchmark('2026-04', '<b>', null)]);
    expect(html).not.toContain('<b>');
    expect(html).toContain('SI &lt;b&gt;');
  });

  it('draws nothing without benchmarks (the briefing table says "Data not available")', () => {
    expect(benchmarkChart('A9597', [])).toBe('');
  });
});
