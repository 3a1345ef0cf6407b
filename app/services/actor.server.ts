/** Who made a change, for the ledger: the staff member's email when the session is online. */
export function actorOf(session: { onlineAccessInfo?: { associated_user?: { email?: string | null } | null } | null }): string {
  return session.onlineAccessInfo?.associated_user?.email || "admin";
}
