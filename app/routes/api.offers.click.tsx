// An offer's button: records the click, then sends the shopper to the cart
// permalink that applies the offer's code. The link is signed by the backend
// that rendered it (no session token survives leaving the page).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { recordClick, verifyClick } from "../services/offers/extension-api.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const data = verifyClick(url.searchParams.get("d"), url.searchParams.get("sig"), process.env.SHOPIFY_API_SECRET || "");
  if (!data) return new Response("This offer link is not valid.", { status: 400, headers: { "content-type": "text/plain" } });
  try {
    await recordClick(db, data);
  } catch (error) {
    // The shopper still gets to the cart; a lost click only costs a statistic.
    console.warn(`[offers] click not recorded: ${String(error)}`);
  }
  return new Response(null, { status: 302, headers: { location: data.u } });
};
