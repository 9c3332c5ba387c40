// The pages in a real browser (Debian's chromium, playwright-core), on the official CMS files
// (HCPCS 2019 and October 2025, OPPS Addendum B January 2023 and April 2026): a reader searches
// "pet tumor", opens A9597 and finds its long description, the payers section saying "Data not
// available", a chart with one point per OPPS release and the history. Nothing is fetched from
// outside refgraph, the Content-Security-Policy is never violated, and axe-core finds no serious or
// critical accessibility problem. Saves test-results/code-page.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import { axeViolations, openBrowser, requireChromium, type Browser } from '../support/chromium.js';
import { useTestDatabase } from '../support/database.js';
import { testYoga } from '../support/graphql.js';
import { dataDir, dataFile } from '../ingest/support.js';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const LONG_DESCRIPTION =
  'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified';

const run = requireChromium('the pages browser test') && dataDir !== null;

let browser: Browser;
const foreignRequests: string[] = [];
const policyViolations: string[] = [];

beforeAll(async () => {
  if (!run) return;
  const database = await useTestDatabase();
  for (const file of ['hcpcs2019Csv', 'hcpcs2025Csv'] as const)
    await loadFile(database.url, dataFile(file), { kind: 'hcpcs' });
  for (const file of ['opps2023', 'opps2026'] as const) await loadFile(database.url, dataFile(file), { kind: 'opps' });
  browser = await openBrowser(testYoga());
  browser.page.on('request', (request) => {
    if (!request.url().startsWith(browser.origin)) foreignRequests.push(request.url());
  });
  browser.page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) policyViolations.push(message.text());
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

/** axe-core's serious and critical findings, one line each. */
async function seriousViolations(): Promise<string[]> {
  const violations = await axeViolations(browser.page);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(' ')}`);
}

describe.skipIf(!run)('the pages in chromium', () => {
  it('searches "pet tumor" from the search box and lists A9597 with what matched', async () => {
    const { page, origin } = browser;
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await expect.poll(() => page.locator('#releases').innerText()).toMatch(/HCPC2025_OCT_ANWEB_v4\.csv/);
    await page.getByLabel('Code or words').fill('pet tumor');
    await Promise.all([page.waitForURL(/\?q=pet\+tumor/), page.getByRole('button', { name: 'Search' }).click()]);
    const row = page.locator('#results tbody tr', { has: page.getByRole('link', { name: 'A9597' }) });
    await expect.poll(() => row.innerText()).toContain(LONG_DESCRIPTION);
    expect(await row.innerText()).toMatch(/every word, as the start of a word of the title/);
    expect(await seriousViolations()).toEqual([]);
  });

  it('opens A9597: long description, no payer data, a point per OPPS release, the history', async () => {
    const { page } = browser;
    await Promise.all([page.waitForURL(/\/codes\/A9597$/), page.getByRole('link', { name: 'A9597' }).first().click()]);
    expect(await page.locator('h1').innerText()).toBe('National briefing: HCPCS A9597');
    const billing = page.locator('#billing-overview tr', { hasText: 'Long description' });
    expect(await billing.innerText()).toContain(LONG_DESCRIPTION);
    expect(await billing.innerText()).toContain('HCPC2025_OCT_ANWEB_v4.csv');
    expect(await page.locator('#payers .no-data').innerText()).toBe('Data not available');

    const points = page.locator('#benchmark-chart svg .chart-point');
    expect(await points.count()).toBe(2);
    const attributes = await points.evaluateAll((nodes) =>
      nodes.map((node) => [
        node.getAttribute('data-release'),
        node.getAttribute('data-status-indicator'),
        node.getAttribute('data-payment-rate'),
      ]),
    );
    expect(attributes.map(([release, indicator, rate]) => [release?.slice(0, 7), indicator, rate])).toEqual([
      ['2023-01', 'N', ''],
      ['2026-04', 'N', ''],
    ]);
    expect(await page.locator('#benchmark-chart figcaption').innerText()).toMatch(
      /No OPPS payment rate is published for A9597/,
    );

    const history = await page.locator('#history tbody tr').allInnerTexts();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(/^2019\b.*First release of this code/);
    expect(history[1]).toMatch(/^2025-10\b.*No change to the fields compared/);

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'code-page.png'), fullPage: true });
    expect(existsSync(path.join(RESULTS, 'code-page.png'))).toBe(true);
    expect(await seriousViolations()).toEqual([]);
  });

  it('prints as the briefing: no navigation or forms on paper', async () => {
    const { page } = browser;
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header nav').isVisible()).toBe(false);
    expect(await page.locator('form.query').isVisible()).toBe(false);
    expect(await page.locator('#benchmark-chart svg').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('fetched nothing from outside refgraph and broke no Content-Security-Policy rule', () => {
    expect(foreignRequests).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
});
