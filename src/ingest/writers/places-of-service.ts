// CMS place-of-service codes: the place_of_service table (current state) and one
// place_of_service_version per code of the release.
import type { PlaceOfServiceRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeVersioned, type FlatTable, type VersionTable } from './flat.js';

const PLACE_OF_SERVICE_TABLE: FlatTable = {
  table: 'place_of_service',
  key: ['code'],
  columns: [
    { column: 'code', type: 'text' },
    { column: 'name', type: 'text' },
    { column: 'description', type: 'text' },
    { column: 'assigned', type: 'boolean' },
  ],
  descriptions: ['name', 'description'],
};

const PLACE_OF_SERVICE_VERSIONS: VersionTable = {
  system: 'PLACE_OF_SERVICE',
  insert: `
    INSERT INTO place_of_service_version (release_id, code, name, description, assigned)
    SELECT $2::int, r.code, r.name, r.description, r.assigned
    FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, description text, assigned boolean)`,
};

export function writePlacesOfService(ctx: WriteContext, places: readonly PlaceOfServiceRecord[]): Promise<WriteResult> {
  return writeVersioned(
    ctx,
    PLACE_OF_SERVICE_TABLE,
    PLACE_OF_SERVICE_VERSIONS,
    places.map((p) => ({ code: p.code, name: p.name, description: p.description, assigned: p.assigned })),
  );
}
