// Files as CMS publishes them (issue 11, part 2): the quarterly HCPCS zip and an OPPS Addendum B zip
// (made here from the real files of ../shared/data), loaded as a file or downloaded from a local
// HTTP server. The data file is picked from the zip by content and named; the release records its
// sha256 and the URL. Every refusal (404, a body cut short, a stalling server, an HTML page sent
// with 200, a zip bomb, too many redirects, too large) names what was wrong and changes nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestUrl, type IngestOutput } from '../../src/cli/ingest.js';
import { download } from '../../src/ingest/download.js';
import { planDirectory } from '../../src/ingest/ingest-dir.js';
import { sha256Of } from '../../src/ingest/content-hash.js';
import { loadFile } from '../../src/ingest/load-release.js';
import { MAX_UNPACKED_BYTES, openSource } from '../../src/ingest/source-file.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { zip } from '../support/zip.js';
import { dataDir, dataFile, tableChecksums } from './support.js';

const run = promisify(execFile);
const folder = mkdtempSync(path.join(tmpdir(), 'refgraph-zip-'));
const silent: IngestOutput = { tty: false, write: () => {} };

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.skipIf(!dataDir)('files as CMS publishes them', () => {
  let database: TestDatabase;
  let hcpcsZip: Buffer;
  let oppsZip: Buffer;
  let server: Server;
  let base: string;
  /** What the local server answers per path. */
  const routes = new Map<string, (response: ServerResponse) => void>();

  beforeAll(async () => {
    database = await useTestDatabase();
    const read = (name: Parameters<typeof dataFile>[0]) => readFileSync(dataFile(name));
    // As in CMS's 2019 "Alpha-Numeric HCPCS File" zip: the workbook, the same data as fixed-width
    // text, the transaction report, notes and a readme (the PDF stands for the disclaimer documents).
    hcpcsZip = zip([
      { name: 'HCPC2019_README.txt', data: readFileSync(path.join(dataDir!, 'hcpcs/2019_annual/HCPC2019_README.txt')) },
      {
        name: 'HCPC2019_Trans_Alpha.xlsx',
        data: readFileSync(path.join(dataDir!, 'hcpcs/2019_annual/HCPC2019_Trans_Alpha.xlsx')),
      },
      { name: 'HCPC2019_CONTR_ANWEB.txt', data: read('hcpcs2019Txt') },
      { name: 'HCPC2019_CONTR_ANWEB.xlsx', data: read('hcpcs2019Xlsx') },
      { name: 'proc_notes_2019.txt', data: readFileSync(path.join(dataDir!, 'hcpcs/2019_annual/proc_notes_2019.txt')) },
      { name: 'HCPCS_disclaimer.pdf', data: Buffer.from('%PDF-1.4\n') },
    ]);
    oppsZip = zip([
      { name: 'April 2026 Addendum B/ReadMe.pdf', data: Buffer.from('%PDF-1.4\n') },
      { name: 'April 2026 Addendum B/opps_addendum_b_2026_apr_hcpcs_level2.csv', data: read('opps2026') },
    ]);
    server = createServer((request, response) => {
      const route = routes.get(request.url ?? '');
      if (route) route(response);
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const serveFile =
    (bytes: Buffer, type = 'application/zip') =>
    (response: ServerResponse) =>
      response.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) }).end(bytes);

  it('picks the ANWEB workbook from the HCPCS zip, names it, and records its hash', async () => {
    const file = path.join(folder, 'HCPC2019_Alpha-Numeric_HCPCS_File.zip');
    writeFileSync(file, hcpcsZip);
    const summary = await loadFile(database.url, file, { kind: 'hcpcs' });
    expect(summary).toMatchObject({
      status: 'loaded',
      file: 'HCPC2019_CONTR_ANWEB.xlsx',
      release: '2019',
      sha256: sha256Of(readFileSync(dataFile('hcpcs2019Xlsx'))),
      records: 6800,
      extra: { pickedFrom: 'HCPC2019_Alpha-Numeric_HCPCS_File.zip' },
    });
    // The workbook on its own is that release already.
    expect(await loadFile(database.url, dataFile('hcpcs2019Xlsx'))).toMatchObject({
      status: 'unchanged',
      release: '2019',
    });
  }, 120_000);

  it('picks by content: the text without the workbook, the CSV of an OPPS zip, and says when there is nothing to pick', async () => {
    const txtOnly = zip([
      {
        name: 'HCPC2019_Trans_Alpha.xlsx',
        data: readFileSync(path.join(dataDir!, 'hcpcs/2019_annual/HCPC2019_Trans_Alpha.xlsx')),
      },
      { name: 'HCPC2019_CONTR_ANWEB.txt', data: readFileSync(dataFile('hcpcs2019Txt')) },
    ]);
    expect(await openSource(txtOnly, 'hcpcs.zip', 'hcpcs')).toMatchObject({
      fileName: 'HCPC2019_CONTR_ANWEB.txt',
      archive: 'hcpcs.zip',
    });
    expect(await openSource(oppsZip, 'addendum-b.zip', 'opps')).toMatchObject({
      fileName: 'opps_addendum_b_2026_apr_hcpcs_level2.csv',
    });
    await expect(openSource(oppsZip, 'addendum-b.zip', 'hcpcs')).rejects.toThrow(
      /addendum-b\.zip: no hcpcs file refgraph can load in this zip \(2 entries: ReadMe\.pdf, opps_addendum_b_2026_apr_hcpcs_level2\.csv\)/,
    );
    // A gzip holds one file: the file inside is what loads (refgraph's own seed files are stored so).
    const gz = await openSource(gzipSync(readFileSync(dataFile('posCsv'))), 'cms_bfd_clm_pos_cd.csv.gz');
    expect(gz).toMatchObject({ fileName: 'cms_bfd_clm_pos_cd.csv', archive: 'cms_bfd_clm_pos_cd.csv.gz' });
  });

  it('ingest-dir looks into zips', async () => {
    const dir = path.join(folder, 'downloads');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'hcpcs-2019.zip'), hcpcsZip);
    writeFileSync(path.join(dir, 'opps-2026-04.zip'), oppsZip);
    writeFileSync(path.join(dir, 'notes.zip'), zip([{ name: 'notes.txt', data: Buffer.from('nothing to load\n') }]));
    const plan = await planDirectory(dir, {
      sha256: new Set([sha256Of(readFileSync(dataFile('hcpcs2019Xlsx')))]),
      releases: new Set(['hcpcs:2019']),
    });
    expect(plan.known).toEqual([path.join(dir, 'hcpcs-2019.zip')]);
    expect(plan.files.map((f) => [path.basename(f.path), f.kind, f.release])).toEqual([
      ['opps-2026-04.zip', 'opps', '2026-04'],
    ]);
    expect(plan.skipped).toEqual([
      {
        path: path.join(dir, 'notes.zip'),
        reason: expect.stringMatching(/^not recognised: no data file refgraph can load in this zip/),
      },
    ]);
  });

  it('downloads a zip (through a redirect), loads the file it holds, and records the URL', async () => {
    routes.set('/addendum-b.zip', serveFile(oppsZip));
    routes.set('/latest', (response) => response.writeHead(302, { location: '/addendum-b.zip' }).end());
    const summary = await ingestUrl(database.url, `${base}/latest`, { kind: 'opps' }, silent);
    expect(summary).toMatchObject({
      status: 'loaded',
      kind: 'opps',
      release: '2026-04',
      file: 'opps_addendum_b_2026_apr_hcpcs_level2.csv',
      sha256: sha256Of(readFileSync(dataFile('opps2026'))),
      // Named after where the redirect led; the release records the URL asked for.
      extra: { pickedFrom: 'addendum-b.zip', url: `${base}/latest` },
    });
    const release = await database.db.release.findFirstOrThrow({
      where: { name: '2026-04', system: { kind: 'OPPS' } },
    });
    expect(release).toMatchObject({
      sourceUrl: `${base}/latest`,
      sourceFile: 'opps_addendum_b_2026_apr_hcpcs_level2.csv',
      sha256: summary.sha256,
    });
  });

  it('asks once more when the connection breaks before any answer, and names the error when it breaks again', async () => {
    let asked = 0;
    routes.set('/reset-once.zip', (response) => {
      asked += 1;
      if (asked === 1) response.socket?.destroy();
      else serveFile(oppsZip)(response);
    });
    const downloaded = await download(`${base}/reset-once.zip`);
    expect({ asked, bytes: downloaded.bytes.equals(oppsZip), fileName: downloaded.fileName }).toEqual({
      asked: 2,
      bytes: true,
      fileName: 'reset-once.zip',
    });
    routes.set('/reset-always.zip', (response) => response.socket?.destroy());
    await expect(download(`${base}/reset-always.zip`)).rejects.toThrow(
      /reset-always\.zip: download failed: fetch failed \((other side closed|socket hang up|read ECONNRESET)\)/,
    );
  });

  describe('refusals change nothing', () => {
    let before: Record<string, string>;
    beforeAll(async () => {
      before = await tableChecksums(database.db);
    });
    afterAll(async () => {
      expect(await tableChecksums(database.db)).toEqual(before);
    });

    const refused = (route: string, pattern: RegExp, limits = {}) =>
      expect(ingestUrl(database.url, `${base}${route}`, { kind: 'hcpcs' }, silent, limits)).rejects.toThrow(pattern);

    it('a 404', async () => {
      await refused('/missing.zip', /missing\.zip: the server answered 404 Not Found/);
    });

    it('a body cut short', async () => {
      routes.set('/truncated.zip', (response) => {
        response.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(hcpcsZip.length) });
        response.write(hcpcsZip.subarray(0, 100_000), () => response.destroy());
      });
      await refused(
        '/truncated.zip',
        /truncated\.zip: download cut short: 100000 of the \d+ bytes the server announced/,
      );
    });

    it('a server that stalls', async () => {
      routes.set('/stalls.zip', (response) => {
        response.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(hcpcsZip.length) });
        response.write(hcpcsZip.subarray(0, 1000));
        // ...and nothing more until the client gives up.
      });
      await refused(
        '/stalls.zip',
        /stalls\.zip: download stopped: the server sent nothing for 0\.5 s \(after 1000 bytes\)/,
        { stallTimeoutMs: 500 },
      );
    });

    it('an HTML error page sent with status 200', async () => {
      const page = Buffer.from(
        '<!DOCTYPE html><html><body><h1>Sorry, this page is temporarily unavailable</h1></body></html>',
      );
      routes.set('/maintenance.zip', serveFile(page, 'text/html; charset=utf-8'));
      await refused(
        '/maintenance.zip',
        /maintenance\.zip: the server sent a web page \(text\/html; charset=utf-8\), not a data file/,
      );
      routes.set('/mislabelled.zip', serveFile(page, 'application/octet-stream'));
      await refused(
        '/mislabelled.zip',
        /mislabelled\.zip: the server sent a web page, not a data file \(it starts with an HTML tag\)/,
      );
    });

    it('a zip bomb, honest or lying about its size', async () => {
      const zeros = Buffer.alloc(MAX_UNPACKED_BYTES + 1024 * 1024);
      const deflated = { data: deflateRawSync(zeros, { level: 1 }), size: zeros.length, crc: crc32(zeros) };
      routes.set('/bomb.zip', serveFile(zip([{ name: 'HCPC2026_JAN_ANWEB.txt', data: Buffer.alloc(0), deflated }])));
      await refused(
        '/bomb.zip',
        /bomb\.zip: HCPC2026_JAN_ANWEB\.txt, refused|HCPC2026_JAN_ANWEB\.txt: refused: the entry unpacks to \d+ bytes, more than the 256 MB refgraph unpacks \(a zip bomb\?\)/,
      );
      // Headers that claim 1 KB: unpacking stops at the claimed size.
      const liar = zip([
        { name: 'HCPC2026_JAN_ANWEB.txt', data: Buffer.alloc(0), deflated: { ...deflated, size: 1024 } },
      ]);
      routes.set('/liar.zip', serveFile(liar));
      await refused('/liar.zip', /HCPC2026_JAN_ANWEB\.txt: cannot unpack the entry: .*too many bytes.*zip bomb\?/);
    }, 60_000);

    it('too many redirects, a download over the size cap, and a URL that is not http', async () => {
      routes.set('/loop', (response) => response.writeHead(301, { location: '/loop' }).end());
      await refused('/loop', /loop: more than 5 redirects/);
      routes.set('/big.zip', serveFile(hcpcsZip));
      await refused('/big.zip', /big\.zip: refused: the file is \d+ bytes, more than the 1000 allowed \(--max-size\)/, {
        maxBytes: 1000,
      });
      await expect(ingestUrl(database.url, 'ftp://example.org/x.zip', { kind: 'hcpcs' }, silent)).rejects.toThrow(
        /only http:\/\/ and https:\/\/ URLs/,
      );
    });
  });

  it('`refgraph ingest opps <url>` prints what it picked and loaded, and exits 1 with the reason on a 404', async () => {
    routes.set('/addendum-b-again.zip', serveFile(oppsZip));
    const env = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'development' };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', 'ingest', 'opps', `${base}/addendum-b-again.zip`],
      { env },
    );
    // The same CSV as before: already loaded, whatever URL it came from.
    expect(JSON.parse(stdout)).toMatchObject({
      status: 'unchanged',
      release: '2026-04',
      file: 'opps_addendum_b_2026_apr_hcpcs_level2.csv',
    });
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', 'ingest', 'hcpcs', `${base}/nothing-here.zip`],
      { env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`refgraph: ${base}/nothing-here.zip: the server answered 404 Not Found`),
    });
  }, 120_000);
});
