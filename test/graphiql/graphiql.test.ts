// GraphiQL in a real browser (Debian's chromium driven by playwright-core): the page renders with
// no network beyond refgraph, opens with the example tabs and the x-api-key header, and each
// example runs and shows its answer. Saves test-results/graphiql.png (for a person to look at).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, requireChromium, type Browser } from '../support/chromium.js';
import { useTestDatabase } from '../support/database.js';
import { addCodesWithCoverage } from '../support/factories.js';
import { testYoga } from '../support/graphql.js';

const SCREENSHOT = path.resolve(import.meta.dirname, '../../test-results/graphiql.png');
const hasChromium = requireChromium('the GraphiQL browser test');

let browser: Browser;
let url: string;
let page: Page;
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  const { db } = await useTestDatabase();
  // T0001 with a COVERED note from each of the five payers, for the coverage summary example.
  await addCodesWithCoverage(db, 1);
  browser = await openBrowser(testYoga(), { width: 1400, height: 900 });
  url = `${browser.origin}/graphql`;
  page = browser.page;
  page.on('request', (request) => {
    // blob: and data: URLs are the page's own workers and inline assets.
    if (!/^(blob:|data:)/.test(request.url()) && !request.url().startsWith(browser.origin))
      foreignRequests.push(request.url());
  });
});

afterAll(async () => {
  await browser?.close();
});

/** The result pane's text with runs of whitespace collapsed (the editor wraps long lines). */
async function responseText(): Promise<string> {
  return (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
}

/** Switches to an example tab and waits until its document is in the editor. */
async function openTab(name: string): Promise<void> {
  // The tabs are drag-reorderable (pointer events start a drag), so send the click event itself.
  await page.locator(`.graphiql-tab-button[title="${name}"]`).dispatchEvent('click');
  await expect.poll(async () => page.locator('.graphiql-tab-active').innerText(), { timeout: 10_000 }).toContain(name);
  await expect
    .poll(async () => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000 })
    .toMatch(new RegExp(`query\\s+${name}`));
}

/**
 * Runs the open tab and waits for `pattern` in the result. Right after a tab switch GraphiQL may
 * still hold the previous tab's operation name ("Cannot infer operation ..."); then run again.
 */
async function runAndWaitFor(pattern: RegExp): Promise<string> {
  const stale = /Cannot infer operation/;
  for (let attempt = 1; ; attempt += 1) {
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(responseText, { timeout: 15_000 }).toMatch(new RegExp(`${pattern.source}|${stale.source}`));
    const text = await responseText();
    if (!stale.test(text) || attempt === 3) {
      expect(text).toMatch(pattern);
      return text;
    }
    await page.waitForTimeout(500);
  }
}

describe.skipIf(!hasChromium)('GraphiQL in chromium', () => {
  it('opens with the four example tabs and an x-api-key header to fill in', async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
    const tabs = (await page.locator('.graphiql-tab').allInnerTexts()).map((text) => text.trim());
    expect(tabs).toEqual(['CodeProfile', 'Search', 'CoverageSummary', 'CodeIn2019']);
    const headers = (await page.locator('.graphiql-editor-tool').innerText()).replace(/\s+/g, ' ');
    expect(headers).toMatch(/"x-api-key"\s*:\s*""/);
  });

  it("runs the profile example and shows A9597's description; no request leaves refgraph", async () => {
    await openTab('CodeProfile');
    const text = await runAndWaitFor(/Positron\s+emission\s+tomography\s+radiopharmaceutical/);
    expect(text).toMatch(/"code"\s*:\s*"A9597"/);
    expect(text).toMatch(/"shortDescription"\s*:\s*"Pet,\s+dx,\s+for\s+tumor\s+id,\s+noc"/);
    expect(text).not.toMatch(/"errors"/);
    // What the screenshot shows: refgraph's page, the profile tab open, its answer in view.
    expect(await page.title()).toBe('refgraph');
    expect((await page.locator('.graphiql-tab-active').innerText()).trim()).toBe('CodeProfile');
    expect(await page.locator('.graphiql-response').isVisible()).toBe(true);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(foreignRequests).toEqual([]);
  });

  it('runs the search example and finds A9597', async () => {
    await openTab('Search');
    const text = await runAndWaitFor(/"code"\s*:\s*"A9597"/);
    expect(text).toMatch(/"kind"\s*:\s*"HCPCS"/);
    expect(text).not.toMatch(/"errors"/);
  });

  it('runs the coverage summary example: one COVERED note from each payer', async () => {
    await openTab('CoverageSummary');
    const text = await runAndWaitFor(/"coverageSummary"\s*:\s*\[/);
    expect(text).not.toMatch(/"errors"/);
    const rows = [
      ...text.matchAll(/"name"\s*:\s*"([^"]+)"\s*}\s*,\s*"status"\s*:\s*"(\w+)"\s*,\s*"count"\s*:\s*(\d+)/g),
    ].map((m) => m.slice(1).join(' '));
    expect(rows.sort()).toEqual(
      ['Aetna', 'Blue Cross Blue Shield', 'Cigna Healthcare', 'Medicare', 'UnitedHealthcare'].map(
        (payer) => `${payer} COVERED 1`,
      ),
    );
  });

  it('runs the as-of-2019 example: the release in force then', async () => {
    await openTab('CodeIn2019');
    const text = await runAndWaitFor(/"effectiveDate"\s*:\s*"\d{4}-\d{2}-\d{2}"/);
    expect(text).toMatch(/"code"\s*:\s*"A9597"/);
    expect(text).toMatch(/"status"\s*:\s*"ACTIVE"/);
    expect(text).not.toMatch(/"errors"/);
  });

  it('shows the schema description in the documentation explorer', async () => {
    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    await expect
      .poll(async () => (await page.locator('.graphiql-doc-explorer').innerText()).replace(/\s+/g, ' '), {
        timeout: 10_000,
      })
      .toMatch(/refgraph: US healthcare billing reference data\. Start with code\(code: "A9597"\)/);
  });
});
