// What `ingest` reads before any parser sees it: the file as given, the file inside a gzip
// (refgraph's own lossless copies under prisma/seed/official), or the data file inside a zip as
// CMS publishes it (the quarterly "Alpha-Numeric HCPCS File", an OPPS Addendum B zip). From a zip
// the data file is picked by content (the ANWEB workbook, else the fixed-width text, else a CSV
// of the expected kind); PDFs, transaction reports, record layouts and readmes are passed over.
// The release's sha256 is then the picked file's, so the same file loaded later on its own is
// recognised as already loaded. Sizes are capped before anything is inflated (zip bombs).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { IngestError } from './errors.js';
import { baseName } from './parsers/common.js';
import { detectFormat, formatRank, type FileFormat } from './parsers/detect.js';
import { ANWEB_COLUMNS } from './parsers/hcpcs-columns.js';
import { looksLikeZip, readFirstSheet } from './parsers/xlsx.js';
import type { IngestKind } from './records.js';

export interface SourceFile {
  bytes: Buffer;
  /** The name the release records (for a picked or unpacked file: its own name). */
  fileName: string;
  /** The archive the file was taken from, when it came out of one. */
  archive?: string;
}

/** Largest file refgraph unpacks (the biggest CMS file, the 2026 fixed-width text, is about 5 MB). */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
/** A zip with more entries than this is not a CMS release. */
const MAX_ZIP_ENTRIES = 1_000;

const GZIP_MAGIC = [0x1f, 0x8b] as const;
/** Entries never loaded: documents, and macOS resource forks. */
const DOCUMENT = /\.(pdf|docx?|rtf|html?|zip)$/i;

/** Read a file from disk and open it (see openSource). */
export async function readSourceFile(path: string, kind?: IngestKind): Promise<SourceFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new IngestError(
      { file: path },
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return openSource(bytes, path, kind);
}

/** The data file in `bytes`: itself, the file inside a gzip, or the one picked from a zip. */
export async function openSource(bytes: Buffer, fileName: string, kind?: IngestKind): Promise<SourceFile> {
  if (GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    return {
      bytes: gunzip(bytes, fileName),
      fileName: baseName(fileName).replace(/\.gz$/i, ''),
      archive: baseName(fileName),
    };
  }
  if (!looksLikeZip(bytes)) return { bytes, fileName };
  const { zip, entries } = await zipEntries(bytes, fileName);
  // An .xlsx is a zip too: a workbook is loaded as it is.
  if (entries.some((e) => e.name === '[Content_Types].xml') && entries.some((e) => e.name.startsWith('xl/'))) {
    zip.close();
    return { bytes, fileName };
  }
  return pickFromZip(zip, fileName, entries, kind);
}

function gunzip(bytes: Buffer, fileName: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IngestError(
        { file: fileName },
        `refused: the gzip unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`,
      );
    }
    throw new IngestError({ file: fileName }, `damaged or truncated gzip file (${(error as Error).message})`);
  }
}

interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  entry: yauzl.Entry;
}

/** The entries of a zip (files only), refusing archives that are damaged, encrypted or too big to unpack. */
async function zipEntries(bytes: Buffer, fileName: string): Promise<{ zip: yauzl.ZipFile; entries: ZipEntry[] }> {
  const at = { file: fileName };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw new IngestError(at, `damaged or truncated zip archive (${(error as Error).message})`);
  }
  if (zip.entryCount > MAX_ZIP_ENTRIES) {
    zip.close();
    throw new IngestError(at, `refused: the zip holds ${zip.entryCount} entries (at most ${MAX_ZIP_ENTRIES})`);
  }
  const entries: ZipEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      entries.push({ name: entry.fileName, size: entry.uncompressedSize, compressedSize: entry.compressedSize, entry });
    }
  } catch (error) {
    zip.close();
    throw new IngestError(at, `damaged zip archive (${(error as Error).message})`);
  }
  return { zip, entries };
}

async function readEntry(zip: yauzl.ZipFile, entry: ZipEntry, archive: string): Promise<Buffer> {
  const at = { file: `${archive}: ${entry.name}` };
  if (entry.entry.isEncrypted()) throw new IngestError(at, 'refused: the entry is encrypted');
  if (entry.size > MAX_UNPACKED_BYTES) {
    throw new IngestError(
      at,
      `refused: the entry unpacks to ${entry.size} bytes, more than the ${MAX_UNPACKED_BYTES / 1024 / 1024} MB refgraph unpacks (a zip bomb?)`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry.entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // yauzl also stops at the declared size (validateEntrySizes); this is the hard cap.
      if (total > MAX_UNPACKED_BYTES) {
        stream.destroy();
        throw new IngestError(
          at,
          `refused: the entry unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB (a zip bomb?)`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError(
      at,
      `cannot unpack the entry: ${(error as Error).message} (a damaged archive, or sizes that lie: a zip bomb?)`,
    );
  }
  return Buffer.concat(chunks, total);
}

interface Candidate {
  entry: ZipEntry;
  bytes: Buffer;
  kind: IngestKind;
  format: FileFormat;
}

async function pickFromZip(
  zip: yauzl.ZipFile,
  fileName: string,
  entries: ZipEntry[],
  kind: IngestKind | undefined,
): Promise<SourceFile> {
  const archive = baseName(fileName);
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > 4 * MAX_UNPACKED_BYTES) {
    zip.close();
    throw new IngestError({ file: fileName }, `refused: the zip declares ${declared} bytes unpacked (a zip bomb?)`);
  }
  const candidates: Candidate[] = [];
  const passed: string[] = [];
  try {
    for (const entry of entries) {
      const name = baseName(entry.name);
      if (DOCUMENT.test(name) || name.startsWith('.') || entry.name.startsWith('__MACOSX/')) {
        passed.push(name);
        continue;
      }
      const content = await readEntry(zip, entry, archive);
      const detected = await detectData(content, name);
      if (!detected || (kind !== undefined && detected.kind !== kind)) {
        passed.push(name);
        continue;
      }
      candidates.push({ entry, bytes: content, ...detected });
    }
  } finally {
    zip.close();
  }
  // A zip holding several files of the kind asked for: the preferred format first.
  candidates.sort((a, b) => formatRank(a.format) - formatRank(b.format) || a.entry.name.localeCompare(b.entry.name));
  const picked = candidates[0];
  if (!picked) {
    throw new IngestError(
      { file: fileName },
      `no ${kind ?? 'data'} file refgraph can load in this zip (${entries.length} entries: ${entries
        .map((e) => baseName(e.name))
        .join(', ')
        .slice(0, 400)}); ` +
        `expected the ANWEB workbook or fixed-width text of a HCPCS file, or an OPPS Addendum B CSV`,
    );
  }
  return { bytes: picked.bytes, fileName: baseName(picked.entry.name), archive };
}

/**
 * What a file from a zip holds, or undefined when it is nothing refgraph loads. Workbooks are
 * looked at more closely than by detectFormat (which takes any workbook for the ANWEB one): a
 * CMS HCPCS zip also holds the transaction report and the NOC list as workbooks.
 */
async function detectData(bytes: Buffer, name: string): Promise<{ kind: IngestKind; format: FileFormat } | undefined> {
  try {
    const detected = detectFormat(bytes, name);
    if (detected.format === 'hcpcs-xlsx' && !(await isAnwebWorkbook(bytes, name))) return undefined;
    return detected;
  } catch (error) {
    if (error instanceof IngestError) return undefined;
    throw error;
  }
}

/** The first sheet has the ANWEB header (HCPC, SEQNUM, RECID, ...) near its top. */
async function isAnwebWorkbook(bytes: Buffer, name: string): Promise<boolean> {
  try {
    const sheet = await readFirstSheet(bytes, name, { maxRows: 21 });
    return sheet.rows.some((row) => ANWEB_COLUMNS.slice(0, 3).every((column, i) => row.values[i]?.trim() === column));
  } catch {
    return false;
  }
}
