// Prisma CLI configuration. Prisma 7 keeps the connection URL out of schema.prisma.
// `prisma migrate deploy` (where Prisma's engines can be downloaded) applies the same SQL files
// as refgraph's own migrator (`npm run refgraph -- migrate`).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/refgraph' },
});
