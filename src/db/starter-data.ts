// Loads refgraph's own starter data (prisma/seed/starter-data.json) once (starter_data_load
// records it). The CMS text it carries (A9597's version, modifier TC, places of service 19 and 22)
// stands in for a code system only while that system has no official release: for a system that
// has one, only what no official file carries is loaded (A9597's service type, sites, modifier
// guidance and clinical context, CPT modifier 26, the payers). An official load later removes the
// starter release of its system (src/ingest/load-release.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeSystemKind, PayerKind, ModifierSource } from '../generated/prisma/enums.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { contentHash } from '../ingest/content-hash.js';

const STARTER_FILE = fileURLToPath(new URL('../../prisma/seed/starter-data.json', import.meta.url));

interface StarterData {
  source: string;
  releases: Partial<Record<CodeSystemKind, { name: string; effectiveDate: string }>>;
  payers: { slug: string; name: string; kind: PayerKind; website?: string }[];
  placesOfService: { code: string; name: string; description?: string }[];
  modifiers: {
    code: string;
    source: ModifierSource;
    longDescription: string;
    shortDescription?: string;
    coverageCode?: string;
    addDate?: string;
    actionEffectiveDate?: string;
    actionCode?: string;
    sourceNote?: string;
  }[];
  codes: {
    code: string;
    serviceType: string;
    version: {
      longDescription: string;
      shortDescription: string;
      pricingIndicators?: string[];
      multiplePricingIndicator?: string;
      coverageCode?: string;
      betos?: string;
      typesOfService?: string[];
      anesthesiaBaseUnits?: number;
      addDate?: string;
      actionEffectiveDate?: string;
      actionCode?: string;
    };
    sitesOfService: { setting: string; placeOfService?: string; note?: string }[];
    modifiers: { modifier: string; whenToUse: string }[];
    clinicalContext: {
      scenario: string;
      workflow: { stage: string; actor: string; description: string }[];
      componentBilling: string;
    };
  }[];
}

export function readStarterData(): StarterData {
  return JSON.parse(readFileSync(STARTER_FILE, 'utf8')) as StarterData;
}

const date = (value: string | undefined) => (value ? new Date(`${value}T00:00:00Z`) : null);

type Tx = Prisma.TransactionClient;
type StarterCode = StarterData['codes'][number];
/** The starter release opened for each code system that has no official release. */
type StarterReleases = Map<CodeSystemKind, number>;

/** Returns true when it loaded the starter data, false when it was already there. */
export async function loadStarterData(db: PrismaClient): Promise<boolean> {
  const data = readStarterData();
  return db.$transaction(
    async (tx) => {
      // Serialise concurrent first starts.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(727274002)`;
      if ((await tx.starterDataLoad.count()) > 0) return false;
      await tx.starterDataLoad.create({ data: {} });
      // Loaded before the marker existed (its releases are still there): nothing more to do.
      if ((await tx.release.count({ where: { origin: 'STARTER' } })) > 0) return false;

      const { official, releaseIds } = await openStarterReleases(tx, data);
      for (const payer of data.payers) {
        await tx.payer.upsert({ where: { slug: payer.slug }, create: payer, update: {} });
      }
      if (!official.has('PLACE_OF_SERVICE')) await loadPlacesOfService(tx, data, releaseIds);
      await loadModifiers(tx, data, official, releaseIds);
      for (const entry of data.codes) await loadCode(tx, data, entry, releaseIds.get('HCPCS'));
      return true;
      // Prisma's default of 5 s is too short for a first start on a busy machine (seen under load:
      // serve then exits before it listens); the advisory lock keeps concurrent starts apart anyway.
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

/** A starter release for each system the data carries and no official release stands for yet. */
async function openStarterReleases(
  tx: Tx,
  data: StarterData,
): Promise<{ official: Set<CodeSystemKind>; releaseIds: StarterReleases }> {
  const systems = await tx.codeSystem.findMany({
    include: { _count: { select: { releases: { where: { origin: 'OFFICIAL' } } } } },
  });
  const systemId = (kind: CodeSystemKind) => {
    const found = systems.find((s) => s.kind === kind);
    if (!found) throw new Error(`code system ${kind} is missing: run the migrations first`);
    return found.id;
  };
  const official = new Set(systems.filter((s) => s._count.releases > 0).map((s) => s.kind));
  const releaseIds: StarterReleases = new Map();
  for (const [kind, release] of Object.entries(data.releases) as [
    CodeSystemKind,
    { name: string; effectiveDate: string },
  ][]) {
    if (official.has(kind)) continue;
    const created = await tx.release.create({
      data: {
        systemId: systemId(kind),
        name: release.name,
        effectiveDate: date(release.effectiveDate)!,
        origin: 'STARTER',
        sourceFile: 'prisma/seed/starter-data.json',
      },
    });
    releaseIds.set(kind, created.id);
  }
  return { official, releaseIds };
}

/** The CMS text of the starter release is one version of each entry, as a load would write it. */
async function loadPlacesOfService(tx: Tx, data: StarterData, releaseIds: StarterReleases): Promise<void> {
  for (const place of data.placesOfService) {
    const releaseId = releaseIds.get('PLACE_OF_SERVICE')!;
    const fields = { name: place.name, description: place.description ?? null, assigned: true };
    await tx.placeOfService.upsert({
      where: { code: place.code },
      create: { code: place.code, ...fields, releaseId },
      update: {},
    });
    await tx.placeOfServiceVersion.create({ data: { code: place.code, ...fields, releaseId } });
  }
}

/**
 * HCPCS modifiers while no official release has them; CPT modifiers are curated, never in an official file: always
 * loaded.
 */
async function loadModifiers(
  tx: Tx,
  data: StarterData,
  official: Set<CodeSystemKind>,
  releaseIds: StarterReleases,
): Promise<void> {
  for (const modifier of data.modifiers.filter((m) => m.source === 'CPT' || !official.has('MODIFIER'))) {
    const created = await tx.modifier.upsert({
      where: { code: modifier.code },
      create: {
        code: modifier.code,
        source: modifier.source,
        longDescription: modifier.longDescription,
        shortDescription: modifier.shortDescription ?? null,
        coverageCode: modifier.coverageCode ?? null,
        addDate: date(modifier.addDate),
        actionEffectiveDate: date(modifier.actionEffectiveDate),
        actionCode: modifier.actionCode ?? null,
        sourceNote: modifier.sourceNote ?? data.source,
        releaseId: modifier.source === 'HCPCS_LEVEL_II' ? (releaseIds.get('MODIFIER') ?? null) : null,
      },
      update: {},
    });
    if (created.releaseId !== null && created.releaseId === releaseIds.get('MODIFIER')) {
      const { id, releaseId, source: _s, sourceNote: _n, ...fields } = created;
      await tx.modifierVersion.create({ data: { ...fields, modifierId: id, releaseId } });
    }
  }
}

/** One starter code: its service type, its version in the starter HCPCS release (if opened), and its curated facts. */
async function loadCode(
  tx: Tx,
  data: StarterData,
  entry: StarterCode,
  hcpcsRelease: number | undefined,
): Promise<void> {
  const code = await tx.code.upsert({
    where: { code: entry.code },
    create: { code: entry.code, serviceType: entry.serviceType },
    update: { serviceType: entry.serviceType },
  });
  if (hcpcsRelease !== undefined) {
    const version = codeVersionFields(entry.version);
    await tx.codeVersion.create({
      data: {
        ...version,
        code: entry.code,
        codeId: code.id,
        releaseId: hcpcsRelease,
        contentHash: contentHash(version),
      },
    });
  }
  await loadCuratedFacts(tx, data.source, entry, code.id);
}

/** The CMS fields of a code version as a load writes them (what the starter file leaves out is empty). */
function codeVersionFields(version: StarterCode['version']) {
  return {
    longDescription: version.longDescription,
    shortDescription: version.shortDescription,
    pricingIndicators: version.pricingIndicators ?? [],
    multiplePricingIndicator: version.multiplePricingIndicator ?? null,
    cimReferences: [],
    mcmReferences: [],
    statute: null,
    labCertifications: [],
    crossReferences: [],
    coverageCode: version.coverageCode ?? null,
    ascGroup: null,
    ascEffectiveDate: null,
    processingNote: null,
    betos: version.betos ?? null,
    typesOfService: version.typesOfService ?? [],
    anesthesiaBaseUnits: version.anesthesiaBaseUnits ?? null,
    addDate: date(version.addDate),
    actionEffectiveDate: date(version.actionEffectiveDate),
    terminationDate: null,
    actionCode: version.actionCode ?? null,
  };
}

/** What no official file carries: the code's sites of service, modifier guidance and clinical context. */
async function loadCuratedFacts(tx: Tx, source: string, entry: StarterCode, codeId: number): Promise<void> {
  for (const site of entry.sitesOfService) {
    await tx.codeSiteOfService.create({
      data: {
        codeId,
        setting: site.setting,
        placeOfServiceCode: site.placeOfService ?? null,
        note: site.note ?? null,
        source,
      },
    });
  }
  for (const link of entry.modifiers) {
    const modifier = await tx.modifier.findUnique({ where: { code: link.modifier } });
    // An official release without this modifier: no guidance to attach.
    if (!modifier) continue;
    await tx.codeModifier.create({
      data: { codeId, modifierId: modifier.id, whenToUse: link.whenToUse, source },
    });
  }
  await tx.clinicalContext.create({
    data: { codeId, ...entry.clinicalContext, source },
  });
}
