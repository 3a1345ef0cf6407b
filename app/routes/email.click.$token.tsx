// Click tracking: records the click and redirects to the signed destination
// (the destination is inside the signed token, so this is no open redirect).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { markClicked } from "../models/email.server";
import { verifyClickToken } from "../services/email/links.server";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const click = verifyClickToken(params.token ?? "");
  if (!click || !/^https?:\/\//.test(click.url)) return new Response("This link is not valid.", { status: 404 });
  await markClicked(db, click.messageId, new Date());
  return new Response(null, { status: 302, headers: { location: click.url, "cache-control": "no-store" } });
};
