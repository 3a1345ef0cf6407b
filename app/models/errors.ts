// Prisma error helpers shared by the models.

/** A unique constraint was violated (P2002), from either generated client. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
