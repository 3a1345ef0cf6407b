// Shared by the two extension endpoints (api.thank-you, api.order-status):
// authenticate the session token, parse the body, answer with CORS headers.
import { z } from "zod";
import db from "../../db.server";
import { unauthenticated } from "../../shopify.server";
import { answerExtension, type ExtensionRequest } from "./extension-api.server";

const body = z.object({
  orderId: z.string().min(1),
  limit: z.number().int().min(0).max(10).default(3),
  lines: z
    .array(z.object({ productId: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/), quantity: z.number().int().nonnegative().default(1), amount: z.string().nullish() }))
    .max(250)
    .default([]),
});

interface Authenticated {
  sessionToken: { dest: string; sub?: string };
  cors: (response: Response) => Response;
}

const json = (data: unknown, status: number) => new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });

/** Thrown auth failures (401) get CORS headers too, so the extension can tell them apart from a network error. */
function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  if (!headers.has("access-control-allow-origin")) headers.set("access-control-allow-origin", "*");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export async function handleExtensionRequest(
  request: Request,
  surface: ExtensionRequest["surface"],
  authenticate: (request: Request) => Promise<Authenticated>,
): Promise<Response> {
  let auth: Authenticated;
  try {
    auth = await authenticate(request);
  } catch (error) {
    if (error instanceof Response) return withCors(error);
    throw error;
  }
  if (request.method !== "POST") return auth.cors(json({ error: "Use POST" }, 405));
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return auth.cors(json({ error: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") }, 400));
  }
  const shopId = new URL(auth.sessionToken.dest).hostname;
  const sub = auth.sessionToken.sub;
  const customerId = sub && sub.startsWith("gid://shopify/Customer/") ? sub : null;
  const result = await answerExtension(
    {
      db,
      adminFor: async (shop) => {
        try {
          return (await unauthenticated.admin(shop)).admin.graphql;
        } catch {
          return null;
        }
      },
      appUrl: process.env.SHOPIFY_APP_URL || new URL(request.url).origin,
      secret: process.env.SHOPIFY_API_SECRET || "",
    },
    { shopId, customerId, surface, orderId: parsed.data.orderId, limit: parsed.data.limit, lines: parsed.data.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, amount: l.amount ?? null })) },
  );
  return auth.cors(json(result.body, result.status));
}
