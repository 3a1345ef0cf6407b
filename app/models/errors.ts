// Prisma error helpers shared by the models.

/**
 * A unique constraint was violated, from either generated client: P2002 from
 * a model query, P2010 carrying the driver adapter's UniqueConstraintViolation
 * from a raw statement (the hot paths insert with raw SQL); or PostgreSQL's
 * own 23505 from a raw statement run directly (../db/direct.ts).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return code === "P2002" || code === "23505" || (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}

/**
 * Runs `fn` again (up to `attempts` times in all) when it fails with a unique
 * violation: a concurrent writer committed the same natural key first, and
 * the next run sees its work (and reports a duplicate, or folds on top of it).
 */
export async function retryOnUniqueViolation<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= attempts) throw error;
    }
  }
}
