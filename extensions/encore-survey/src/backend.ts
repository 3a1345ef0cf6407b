// Calls to Encore's backend with the shopper's session token (Shopify signs it
// for this app; the backend verifies it and takes the shop from it).
import { APP_URL } from "./config";

export type Surface = "thank-you" | "order-status";

export class BackendError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function backend<T>(
  getToken: () => Promise<string>,
  surface: Surface,
  path: string,
  init: { method?: "GET" | "POST"; query?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
  const token = await getToken();
  const query = new URLSearchParams({ surface, ...(init.query ?? {}) });
  const response = await fetch(`${APP_URL}${path}?${query}`, {
    method: init.method ?? "GET",
    headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new BackendError((data as { error?: string } | null)?.error ?? `HTTP ${response.status}`, response.status);
  return data as T;
}
