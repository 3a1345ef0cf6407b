// Resource route: the export prepared for a customers/data_request webhook,
// as a JSON file download. Scoped to the authenticated shop.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { getDataRequest } from "../models/data-request.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const record = params.id ? await getDataRequest(db, session.shop, params.id) : null;
  if (!record) throw new Response("Data request not found", { status: 404 });

  const filename = `encore-data-request-${record.id.replace(/[^A-Za-z0-9_-]/g, "")}.json`;
  return new Response(record.export, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      // Personal data: never kept by a browser or proxy cache.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
