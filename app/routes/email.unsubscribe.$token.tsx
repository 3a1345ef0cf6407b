// One-click unsubscribe from a shop's marketing emails.
// - Mail clients POST `List-Unsubscribe=One-Click` here (RFC 8058): honoured at once.
// - A person following the link gets a page with a button (a GET never
//   unsubscribes, so link scanners cannot do it for them).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import db from "../db.server";
import { suppress } from "../models/email.server";
import { verifyUnsubscribeToken } from "../services/email/links.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

async function shopName(shopId: string) {
  const [shop, settings] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId } }),
    db.emailSettings.findUnique({ where: { shopId } }),
  ]);
  return settings?.senderName || shop?.name || shopId;
}

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const target = verifyUnsubscribeToken(params.token ?? "");
  if (!target) throw new Response("This unsubscribe link is not valid.", { status: 404 });
  return { shop: await shopName(target.shopId), email: target.email };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const target = verifyUnsubscribeToken(params.token ?? "");
  if (!target) return new Response("This unsubscribe link is not valid.", { status: 404 });
  const body = await request.text();
  await suppress(db, target.shopId, target.email, "unsubscribe");
  if (/List-Unsubscribe=One-Click/i.test(body)) {
    return new Response("Unsubscribed", { status: 200, headers: { "content-type": "text/plain" } });
  }
  return { done: true, shop: await shopName(target.shopId) };
};

const box = { maxWidth: 480, margin: "64px auto", padding: 24, fontFamily: "Inter, Helvetica, Arial, sans-serif", lineHeight: 1.5 };

export default function Unsubscribe() {
  const { shop, email } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return (
    <main style={box}>
      {done ? (
        <>
          <h1>You are unsubscribed</h1>
          <p>
            {email} will no longer receive marketing emails from {shop}. You will still get emails about your orders.
          </p>
        </>
      ) : (
        <>
          <h1>Unsubscribe from {shop}</h1>
          <p>Stop marketing emails from {shop} to {email}? Emails about your orders will still arrive.</p>
          <Form method="post">
            <button type="submit" style={{ padding: "10px 18px", fontSize: 16, cursor: "pointer" }}>
              Unsubscribe
            </button>
          </Form>
        </>
      )}
    </main>
  );
}
