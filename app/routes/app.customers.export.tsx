// Resource route: the shop's members and balances as a CSV download, with
// the Customers page's search and tier filter.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { CUSTOMER_SORTS } from "../models/customer.server";
import { shopForSession } from "../models/shop.server";
import { oneOf } from "../services/loyalty/display";
import { membersCsv } from "../services/loyalty/export.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const params = new URL(request.url).searchParams;
  const csv = await membersCsv(db, shop.id, {
    query: (params.get("q") ?? "").slice(0, 200),
    tier: params.get("tier") || null,
    sort: oneOf(params.get("sort"), CUSTOMER_SORTS, "balance-desc"),
  });
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="encore-members-${new Date().toISOString().slice(0, 10)}.csv"`,
      // Personal data: never kept by a browser or proxy cache.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
