// For the demo and browser tests: what a merchant does first on the Offers
// page — import the catalog and the order history — through the app's real
// admin action, authenticated with a session token as App Bridge's fetch is.
import type { Stack } from "./stack.ts";

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

async function offersAction(stack: Stack, intent: string): Promise<{ ok: boolean; message: string }> {
  const res = await fetch(`${stack.appUrl}/app/offers?index&_data=routes%2Fapp.offers._index`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.sandbox.sessionToken()}`, "user-agent": BROWSER_UA, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent }),
  });
  if (!res.ok) throw new Error(`Offers ${intent} failed: HTTP ${res.status}`);
  return res.json();
}

/** Imports until done (each call continues where the last stopped). */
export async function importOffersData(stack: Stack) {
  const out: string[] = [];
  for (const intent of ["sync-catalog", "import-history"]) {
    let failures = 0;
    for (let i = 0; i < 20; i++) {
      const r = await offersAction(stack, intent);
      if (!r.ok) {
        // An import that stopped (a dropped connection) continues from its
        // stored cursor when run again, as the merchant's button does.
        if (++failures > 3) throw new Error(r.message);
        continue;
      }
      if (!/so far/.test(r.message)) {
        out.push(r.message);
        break;
      }
    }
  }
  return out;
}
