/** The GraphQL context: small and read-only. The Prisma client is deliberately not in it. */
export interface Context {
  readonly requestId: string;
}
