// /r/<code> — a member's referral link. Records the click, creates the
// friend's one-time code and sends them to the storefront with it applied.
// No cookie: the code itself identifies the referral on the friend's order.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isbot } from "isbot";
import db from "../db.server";
import { recordClick, storefrontUrl } from "../services/referrals/referrals.server";
import { findReferralCode } from "../models/referral.server";
import { unauthenticated } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const code = String(params.code ?? "");
  if (!/^[a-z0-9]{4,32}$/i.test(code)) return new Response("This referral link is not valid.", { status: 404 });
  // Link previews and crawlers follow links too: they get the store, and no
  // click or discount code is spent on them.
  if (isbot(request.headers.get("user-agent") ?? "")) {
    const link = await findReferralCode(db, code.toLowerCase());
    return link ? redirect(storefrontUrl(link.shopId)) : new Response("This referral link is not valid.", { status: 404 });
  }
  const outcome = await recordClick(db, async (shopId) => (await unauthenticated.admin(shopId)).admin.graphql as never, code);
  if (!outcome) return new Response("This referral link is not valid.", { status: 404 });
  return redirect(outcome.redirect);
};

function redirect(location: string) {
  return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}
