// The varied requests of `npm run bench`: which code, page, words or batch each request asks for,
// drawn from the loaded data with a seeded PRNG, so every run replays the same sequence. Targets
// render these logical requests in their own dialect (questions.ts).
import pg from 'pg';
import { mulberry32 } from './database.js';

export const SHAPES = ['profile', 'list', 'search', 'entities'] as const;
export type Shape = (typeof SHAPES)[number];

export const SHAPE_TITLES: Record<Shape, string> = {
  profile: 'varied profile (Zipf s=1.1)',
  list: 'varied list (50, prefix/range, page)',
  search: 'varied search (20 hits)',
  entities: '_entities, 100 random codes',
};

/** The mix of issue 10: what a dashboard, a search box and a federation gateway ask together. */
export const MIX: Record<Shape, number> = { profile: 0.6, list: 0.2, search: 0.15, entities: 0.05 };

export const ZIPF_EXPONENT = 1.1;
export const LIST_PAGE_SIZE = 50;
export const ENTITY_BATCH = 100;
/** Pages a dashboard user reaches at most. */
const MAX_PAGE = 10;
const MISSPELLED_SHARE = 0.2;

export type ListFilter = { prefix: string } | { from: string; to: string };

export type VariedRequest =
  | { shape: 'profile'; code: string }
  | {
      shape: 'list';
      filter: ListFilter;
      page: number /** The last code of the page before, null on the first page. */;
      after: string | null;
    }
  | { shape: 'search'; text: string }
  | { shape: 'entities'; codes: string[] };

/** What the requests are drawn from: the current HCPCS release's codes and words. */
export interface Corpus {
  releaseId: number;
  /** Every code of the release, in code order. */
  codes: string[];
  /** Short descriptions, for search words. */
  descriptions: string[];
}

export async function loadCorpus(url: string, releaseId: number): Promise<Corpus> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ code: string; short_description: string | null }>(
      'SELECT code, short_description FROM code_version WHERE release_id = $1 ORDER BY code',
      [releaseId],
    );
    return {
      releaseId,
      codes: rows.map((row) => row.code),
      descriptions: rows.map((row) => row.short_description ?? '').filter((text) => text.length > 0),
    };
  } finally {
    await client.end();
  }
}

type Random = () => number;

const randomInt = (random: Random, n: number) => Math.floor(random() * n);

function shuffled<T>(values: readonly T[], random: Random): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Codes drawn Zipf-like: the k-th most asked code is asked in proportion to 1/k^s. Which code is
 * k-th is a seeded shuffle, so popularity does not follow code order.
 */
function zipfSampler(codes: readonly string[], random: Random): () => string {
  const ranked = shuffled(codes, mulberry32(7_919));
  const cumulative = new Float64Array(ranked.length);
  let sum = 0;
  for (let k = 0; k < ranked.length; k++) {
    sum += 1 / (k + 1) ** ZIPF_EXPONENT;
    cumulative[k] = sum;
  }
  return () => {
    const u = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! < u) low = middle + 1;
      else high = middle;
    }
    return ranked[low]!;
  };
}

/** The codes a list filter selects, in code order (what both refgraph and the peers page through). */
export function codesOf(codes: readonly string[], filter: ListFilter): string[] {
  return 'prefix' in filter
    ? codes.filter((code) => code.startsWith(filter.prefix))
    : codes.filter((code) => code >= filter.from && code <= filter.to);
}

function listRequest(codes: readonly string[], random: Random): VariedRequest {
  let filter: ListFilter;
  if (random() < 0.5) {
    const code = codes[randomInt(random, codes.length)]!;
    filter = { prefix: code.slice(0, 1 + randomInt(random, 3)) };
  } else {
    const start = randomInt(random, codes.length);
    const end = Math.min(codes.length - 1, start + 50 + randomInt(random, 950));
    filter = { from: codes[start]!, to: codes[end]! };
  }
  const selected = codesOf(codes, filter);
  const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(selected.length / LIST_PAGE_SIZE)));
  const page = randomInt(random, pages);
  return { shape: 'list', filter, page, after: page === 0 ? null : selected[page * LIST_PAGE_SIZE - 1]! };
}

const STOP_WORDS = new Set([
  'and',
  'for',
  'the',
  'with',
  'per',
  'not',
  'other',
  'each',
  'any',
  'than',
  'only',
  'incl',
  'w/o',
]);

/** Words of the short descriptions (letters only, three or more), and adjacent pairs of them. */
function searchVocabulary(descriptions: readonly string[]): { words: string[]; pairs: string[] } {
  const words = new Set<string>();
  const pairs = new Set<string>();
  for (const description of descriptions) {
    const tokens = (description.toLowerCase().match(/[a-z]+/g) ?? []).filter(
      (word) => word.length >= 3 && !STOP_WORDS.has(word),
    );
    tokens.forEach((word, i) => {
      words.add(word);
      if (i > 0) pairs.add(`${tokens[i - 1]} ${word}`);
    });
  }
  return { words: [...words].sort(), pairs: [...pairs].sort() };
}

/** One typing slip in a word of five letters or more: two letters swapped, one dropped, or one wrong. */
function misspell(word: string, random: Random): string {
  if (word.length < 5) return word;
  const at = 1 + randomInt(random, word.length - 2);
  const kind = randomInt(random, 3);
  if (kind === 0) return `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
  if (kind === 1) return `${word.slice(0, at)}${word.slice(at + 1)}`;
  const letter = String.fromCharCode(97 + randomInt(random, 26));
  return `${word.slice(0, at)}${letter}${word.slice(at + 1)}`;
}

function searchRequest(vocabulary: { words: string[]; pairs: string[] }, random: Random): VariedRequest {
  const text =
    random() < 0.65
      ? vocabulary.words[randomInt(random, vocabulary.words.length)]!
      : vocabulary.pairs[randomInt(random, vocabulary.pairs.length)]!;
  if (random() >= MISSPELLED_SHARE) return { shape: 'search', text };
  const words = text.split(' ');
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const slipped = misspell(longest, random);
  return { shape: 'search', text: words.map((word) => (word === longest ? slipped : word)).join(' ') };
}

function entitiesRequest(codes: readonly string[], random: Random): VariedRequest {
  const picked = new Set<string>();
  while (picked.size < Math.min(ENTITY_BATCH, codes.length)) picked.add(codes[randomInt(random, codes.length)]!);
  return { shape: 'entities', codes: [...picked] };
}

/** A seeded generator of requests of each shape. */
export function requestGenerator(corpus: Corpus, seed: number): Record<Shape, () => VariedRequest> {
  const random = mulberry32(seed);
  const zipf = zipfSampler(corpus.codes, random);
  const vocabulary = searchVocabulary(corpus.descriptions);
  return {
    profile: () => ({ shape: 'profile', code: zipf() }),
    list: () => listRequest(corpus.codes, random),
    search: () => searchRequest(vocabulary, random),
    entities: () => entitiesRequest(corpus.codes, random),
  };
}

/** `count` requests of one shape. */
export function variedRequests(corpus: Corpus, shape: Shape, count: number, seed: number): VariedRequest[] {
  const next = requestGenerator(corpus, seed)[shape];
  return Array.from({ length: count }, next);
}

/** `count` requests in the proportions of MIX, shuffled together. */
export function mixRequests(corpus: Corpus, count: number, seed: number): VariedRequest[] {
  const generate = requestGenerator(corpus, seed);
  const random = mulberry32(seed ^ 0x5bd1e995);
  const thresholds = SHAPES.map((_, i) => SHAPES.slice(0, i + 1).reduce((sum, shape) => sum + MIX[shape], 0));
  return Array.from({ length: count }, () => {
    const u = random();
    const index = thresholds.findIndex((threshold) => u < threshold);
    return generate[SHAPES[index < 0 ? SHAPES.length - 1 : index]!]();
  });
}
