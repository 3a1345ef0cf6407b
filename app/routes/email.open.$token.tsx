// Open tracking pixel (only in emails of shops that enabled tracking).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { markOpened } from "../models/email.server";
import { verifyOpenToken } from "../services/email/links.server";

const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const id = verifyOpenToken(params.token ?? "");
  if (id) await markOpened(db, id, new Date());
  return new Response(GIF, {
    headers: { "content-type": "image/gif", "cache-control": "no-store, private", "content-length": String(GIF.length) },
  });
};
