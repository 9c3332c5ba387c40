// Stewards create, revise and retire coverage notes: scopes, validation naming the field, one
// revision per change with who/when/why, and asOf reads rebuilt from the revisions.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import type { Db } from '../../src/db/client.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';

let db: Db;
let steward: Record<string, string>;
let reader: Record<string, string>;

const NOTE = /* GraphQL */ `
  fragment Note on CoverageNote {
    id code status scope summary sourceUrl lastReviewed retiredAt payer { slug }
    revisions { revision action changedBy reason snapshot }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCoverageNoteInput!, $reason: String!) {
    createCoverageNote(input: $input, reason: $reason) { ...Note }
  }
  ${NOTE}
`;
const REVISE = /* GraphQL */ `
  mutation Revise($id: ID!, $input: ReviseCoverageNoteInput!, $reason: String!) {
    reviseCoverageNote(id: $id, input: $input, reason: $reason) { ...Note }
  }
  ${NOTE}
`;
const RETIRE = /* GraphQL */ `
  mutation Retire($id: ID!, $reason: String!) { retireCoverageNote(id: $id, reason: $reason) { ...Note } }
  ${NOTE}
`;
const COVERAGE = /* GraphQL */ `
  query Coverage($asOf: DateTime) { code(code: "A9597") { coverage(payers: ["bcbs"], asOf: $asOf) { summary status } } }
`;

/** What NOTE selects. */
interface Note {
  id: string;
  code: string;
  status: string;
  scope: string;
  summary: string;
  sourceUrl: string;
  lastReviewed: string;
  retiredAt: string | null;
  payer: { slug: string };
  revisions: {
    revision: number;
    action: string;
    changedBy: string;
    reason: string;
    snapshot: Record<string, unknown>;
  }[];
}
type Coverage = { code: { coverage: { summary: string; status: string }[] } | null };

const input = {
  code: 'a9597',
  payer: 'aetna',
  status: 'PRIOR_AUTH_REQUIRED',
  summary: 'Aetna requires prior authorization for PET radiopharmaceuticals.',
  sourceUrl: 'https://www.aetna.com/cpb/medical/data/1_99/0071.html',
  lastReviewed: '2026-01-15',
};

beforeAll(async () => {
  ({ db } = await useTestDatabase());
  steward = { 'x-api-key': (await createApiKey(db, 'dana (steward)', ['steward'])).key };
  reader = { 'x-api-key': (await createApiKey(db, 'dashboard', ['read'])).key };
});

describe('createCoverageNote', () => {
  it('needs an API key, and one with the steward scope', async () => {
    const anonymous = await graphql(CREATE, { input, reason: 'policy read' });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const readOnly = await graphql(CREATE, { input, reason: 'policy read' }, reader);
    expect(readOnly.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(readOnly.errors![0]!.message).toBe(
      'The API key "dashboard" lacks the "steward" scope this operation needs.',
    );
    const unknown = await graphql(CREATE, { input, reason: 'policy read' }, { 'x-api-key': 'rg_not-a-real-key' });
    expect(unknown.status).toBe(401);
    expect(unknown.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(await db.coverageNote.count()).toBe(0);
  });

  it('records the note and revision 1 with who and why', async () => {
    const response = await graphql<{ createCoverageNote: Note }>(
      CREATE,
      { input, reason: 'Read the 2026 policy bulletin' },
      steward,
    );
    expect(response.errors).toBeUndefined();
    const note = response.data!.createCoverageNote;
    expect(note).toMatchObject({
      code: 'A9597',
      status: 'PRIOR_AUTH_REQUIRED',
      scope: 'NATIONAL',
      payer: { slug: 'aetna' },
      retiredAt: null,
    });
    expect(note.revisions).toEqual([
      {
        revision: 1,
        action: 'CREATE',
        changedBy: 'dana (steward)',
        reason: 'Read the 2026 policy bulletin',
        snapshot: expect.objectContaining({
          status: 'PRIOR_AUTH_REQUIRED',
          summary: input.summary,
          lastReviewed: '2026-01-15',
          retiredAt: null,
        }),
      },
    ]);
  });

  it('accepts the key as Authorization: Bearer too', async () => {
    const response = await graphql<{ createCoverageNote: Note }>(
      CREATE,
      { input: { ...input, payer: 'cigna' }, reason: 'bearer' },
      { authorization: `Bearer ${steward['x-api-key']}` },
    );
    expect(response.data!.createCoverageNote.payer.slug).toBe('cigna');
    expect(response.data!.createCoverageNote.revisions[0]?.changedBy).toBe('dana (steward)');
  });

  it.each([
    [{ sourceUrl: 'ftp://example.org/policy.pdf' }, 'input.sourceUrl', 'must be an http(s) URL'],
    [{ sourceUrl: 'not a url' }, 'input.sourceUrl', 'must be an http(s) URL'],
    [{ lastReviewed: '2999-01-01' }, 'input.lastReviewed', 'must not be in the future'],
    [{ summary: '   ' }, 'input.summary', 'must not be empty'],
    [{ code: 'ZZZ' }, 'input.code', 'must be a HCPCS Level II code'],
    [{ code: 'Z9999' }, 'input.code', 'names no known HCPCS code'],
    [{ payer: 'nobody' }, 'input.payer', 'names no known payer'],
    [{ scope: 'REGIONAL' }, 'input.region', 'is required when scope is REGIONAL'],
  ])('refuses %j naming %s', async (change, field, message) => {
    const notes = await db.coverageNote.count();
    const response = await graphql(CREATE, { input: { ...input, ...change }, reason: 'check' }, steward);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toContain(`Field "${field}" ${message}`);
    expect(await db.coverageNote.count()).toBe(notes);
  });

  it('requires a reason', async () => {
    const response = await graphql(CREATE, { input, reason: ' ' }, steward);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'reason' });
  });
});

describe('revise, retire and read the past', () => {
  it('keeps every change as a revision and answers coverage(asOf:) from them', async () => {
    const created = (
      await graphql<{ createCoverageNote: Note }>(
        CREATE,
        { input: { ...input, payer: 'bcbs', summary: 'First reading.' }, reason: 'new policy' },
        steward,
      )
    ).data!.createCoverageNote;
    const afterCreate = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const revised = await graphql<{ reviseCoverageNote: Note }>(
      REVISE,
      { id: created.id, input: { summary: 'Second reading.', status: 'COVERED' }, reason: 'policy updated in March' },
      steward,
    );
    expect(revised.errors).toBeUndefined();
    expect(revised.data!.reviseCoverageNote).toMatchObject({
      summary: 'Second reading.',
      status: 'COVERED',
      sourceUrl: input.sourceUrl,
    });
    expect(revised.data!.reviseCoverageNote.revisions.map((r) => [r.revision, r.action, r.reason])).toEqual([
      [1, 'CREATE', 'new policy'],
      [2, 'REVISE', 'policy updated in March'],
    ]);

    const afterRevise = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const retired = await graphql<{ retireCoverageNote: Note }>(
      RETIRE,
      { id: created.id, reason: 'policy withdrawn' },
      steward,
    );
    expect(Date.parse(retired.data!.retireCoverageNote.retiredAt!)).toBeGreaterThanOrEqual(afterRevise.getTime());
    expect(retired.data!.retireCoverageNote.revisions.map((r) => r.action)).toEqual(['CREATE', 'REVISE', 'RETIRE']);

    // Never deleted: the row is still there.
    expect(await db.coverageNote.count({ where: { summary: 'Second reading.' } })).toBe(1);
    expect((await graphql<Coverage>(COVERAGE)).data!.code?.coverage).toEqual([]);
    expect((await graphql<Coverage>(COVERAGE, { asOf: afterRevise.toISOString() })).data!.code?.coverage).toEqual([
      { summary: 'Second reading.', status: 'COVERED' },
    ]);
    expect((await graphql<Coverage>(COVERAGE, { asOf: afterCreate.toISOString() })).data!.code?.coverage).toEqual([
      { summary: 'First reading.', status: 'PRIOR_AUTH_REQUIRED' },
    ]);
    expect((await graphql<Coverage>(COVERAGE, { asOf: '2001-01-01T00:00:00Z' })).data!.code?.coverage).toEqual([]);

    const again = await graphql(REVISE, { id: created.id, input: { summary: 'x' }, reason: 'late' }, steward);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('records a baseline revision before the first change to a note from before stewardship', async () => {
    const code = await db.code.findUniqueOrThrow({ where: { code: 'A9597' } });
    const payer = await db.payer.findUniqueOrThrow({ where: { slug: 'uhc' } });
    const legacy = await db.coverageNote.create({
      data: {
        codeId: code.id,
        payerId: payer.id,
        status: 'CONDITIONAL',
        summary: 'Loaded before stewardship.',
        sourceUrl: 'https://uhc.example/p',
        lastReviewed: new Date('2025-05-01'),
      },
    });
    const id = Buffer.from(`CoverageNote:${legacy.id}`).toString('base64');
    const response = await graphql<{ reviseCoverageNote: Note }>(
      REVISE,
      { id, input: { lastReviewed: '2026-02-01' }, reason: 're-reviewed' },
      steward,
    );
    expect(response.errors).toBeUndefined();
    const revisions = response.data!.reviseCoverageNote.revisions;
    expect(revisions.map((r) => [r.revision, r.action, r.snapshot.lastReviewed])).toEqual([
      [1, 'CREATE', '2025-05-01'],
      [2, 'REVISE', '2026-02-01'],
    ]);
    expect(revisions[1]?.changedBy).toBe('dana (steward)');
  });

  it('refuses an ID of another type, naming the argument, without writing', async () => {
    const { result, statements } = await countStatements(() =>
      graphql(RETIRE, { id: Buffer.from('Payer:1').toString('base64'), reason: 'x' }, steward),
    );
    expect(result.errors![0]!.message).toContain('Argument "id" must be the ID of a CoverageNote');
    // At most the API key's lookup (remembered for a second without a key-change listener): nothing about notes.
    expect(statements.filter((sql) => !sql.includes('"api_key"'))).toEqual([]);
  });
});
