// Every code of a release has a page: 200 codes of the October 2025 HCPCS file (drawn with a fixed
// seed, a fifth of them among codes with an OPPS payment rate in April 2026) each render as
// well-formed HTML (parse5) holding the code's own long description, with one chart point per
// benchmark row, and every page costs the same number of SQL statements, whatever the code.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { loadFile } from '../../src/ingest/load-release.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { testYoga } from '../support/graphql.js';
import { dataDir, dataFile } from '../ingest/support.js';

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];
type Element = DefaultTreeAdapterMap['element'];

const SAMPLE = 200;
const WITH_RATE = 40;

let db: Db;
let release: string;

beforeAll(async () => {
  if (!dataDir) return;
  const database = await useTestDatabase();
  db = database.db;
  release = (await loadFile(database.url, dataFile('hcpcs2025Csv'), { kind: 'hcpcs' })).release;
  await loadFile(database.url, dataFile('opps2026'), { kind: 'opps' });
}, 240_000);

/** A seeded pick of `count` items (mulberry32): the same sample every run. */
function pick<T>(items: readonly T[], count: number, seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

function walk(node: Node, visit: (element: Element) => void): void {
  if ('tagName' in node) visit(node);
  for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, visit);
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map(textOf).join('');
}

describe.skipIf(!dataDir)('a page for every code of a release', () => {
  it(`renders ${SAMPLE} sampled codes: well-formed, with their own description, at a constant statement count`, async () => {
    const versions = await db.codeVersion.findMany({
      where: { release: { name: release } },
      select: {
        code: true,
        longDescription: true,
        identity: { select: { benchmarks: { select: { paymentRate: true } } } },
      },
      orderBy: { code: 'asc' },
    });
    expect(versions).toHaveLength(8463); // SOURCES.md: 8,463 codes in the October 2025 file
    const rated = versions.filter((v) => v.identity.benchmarks.some((b) => b.paymentRate !== null));
    const sample = [...pick(rated, WITH_RATE, 14), ...pick(versions, SAMPLE, 2026)]
      .filter((v, i, all) => all.findIndex((w) => w.code === v.code) === i)
      .slice(0, SAMPLE);
    expect(sample).toHaveLength(SAMPLE);

    const counts = new Map<number, string[]>();
    let charts = 0;
    for (const version of sample) {
      const { result, count } = await countStatements(async () => {
        const response = await testYoga().fetch(`http://refgraph.test/codes/${version.code}`);
        return { status: response.status, body: await response.text() };
      });
      expect(result.status, version.code).toBe(200);
      counts.set(count, [...(counts.get(count) ?? []), version.code]);

      const errors: string[] = [];
      const document = parse(result.body, {
        onParseError: (error) => errors.push(`${error.code} at ${error.startLine}:${error.startCol}`),
      });
      expect(errors, version.code).toEqual([]);
      const cells: string[] = [];
      const points: Element[] = [];
      walk(document, (element) => {
        if (element.tagName === 'td') cells.push(textOf(element));
        if (element.attrs.some((a) => a.name === 'class' && a.value === 'chart-point')) points.push(element);
      });
      expect(cells, version.code).toContain(version.longDescription);
      expect(points, version.code).toHaveLength(version.identity.benchmarks.length);
      if (points.length > 0) charts += 1;
    }
    expect(charts).toBeGreaterThanOrEqual(WITH_RATE);
    // One count for every page: the data version, then the briefing's fixed statements.
    const perPage = [...counts.keys()];
    expect(perPage, JSON.stringify([...counts].map(([n, codes]) => [n, codes.slice(0, 5)]))).toHaveLength(1);
    // Today: the data version, the release in force, the code with everything joined, the payers.
    expect(perPage).toEqual([4]);
  }, 180_000);
});
