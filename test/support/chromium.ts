// Debian's chromium driven by playwright-core (NOTES.md: npm packages cannot download a browser
// here), headless with a fresh profile; refgraph served on a free local port for it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { RefgraphYoga } from '../../src/yoga.js';

export const CHROMIUM = process.env.REFGRAPH_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Skips a browser test file locally without chromium, and fails it in CI. */
export function requireChromium(what: string): boolean {
  if (hasChromium) return true;
  if (process.env.CI)
    throw new Error(`chromium not found at ${CHROMIUM}; CI must install it (apt-get install -y chromium)`);
  console.warn(`[refgraph tests] chromium not found at ${CHROMIUM}: ${what} is SKIPPED (apt-get install -y chromium)`);
  return false;
}

export interface Browser {
  /** http://127.0.0.1:<port>, where refgraph answers. */
  origin: string;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(yoga: RefgraphYoga, viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const server: Server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'refgraph-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    origin,
    context,
    page,
    close: async () => {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page and returns its violations. The script is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy (no scripts at all) does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const { passes, violations } = await page.evaluate(async () => {
    type Result = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ passes: Result[]; violations: Result[] }> } }).axe;
    const results = await axe.run();
    return {
      passes: results.passes.length,
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => JSON.stringify(n.target)),
      })),
    };
  });
  // A run that checked nothing would report no violation either.
  if (passes === 0) throw new Error('axe-core checked no rule on the page');
  return violations;
}
