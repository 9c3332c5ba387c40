// A code's status on a date, written once for the GraphQL field, the code filter (a Prisma where),
// the grouped counts (SQL) and the briefing: ACTIVE unless its termination date is before the date.
import { Prisma } from '../generated/prisma/client.js';

export type CodeStatusValue = 'ACTIVE' | 'TERMINATED';

export function codeStatusOn(terminationDate: Date | null, day: Date): CodeStatusValue {
  return terminationDate && terminationDate < day ? 'TERMINATED' : 'ACTIVE';
}

/** Code versions with `status` on `day`, as a Prisma where. */
export function statusWhere(status: CodeStatusValue, day: Date): Prisma.CodeVersionWhereInput {
  return status === 'TERMINATED'
    ? { terminationDate: { lt: day } }
    : { OR: [{ terminationDate: null }, { terminationDate: { gte: day } }] };
}

/** The status of code version `cv` on `day`, as a SQL expression. */
export function statusSql(day: Date): Prisma.Sql {
  return Prisma.sql`CASE WHEN cv.termination_date < ${day}::date THEN 'TERMINATED' ELSE 'ACTIVE' END`;
}
