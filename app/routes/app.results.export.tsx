// CSV export of one table of the results dashboard: /app/results/export?table=daily&period=30d
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { shopForSession } from "../models/shop.server";
import { buildDashboard, tableById, toCsv } from "../services/results/dashboard.server";
import { parsePeriodKey } from "../services/results/period";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const url = new URL(request.url);
  const period = parsePeriodKey(url.searchParams.get("period"));
  const dashboard = await buildDashboard(db, shop, period);
  const table = tableById(dashboard, url.searchParams.get("table") ?? "");
  if (!table) return new Response("Unknown table", { status: 404 });
  return new Response(toCsv(table), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="encore-${table.id}-${period}.csv"`,
    },
  });
};
