// Outside the Shopify admin there is nothing to show but a pointer: the app
// opens embedded, where App Bridge supplies the session token.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Landing() {
  return (
    <main style={{ fontFamily: "Inter, system-ui, sans-serif", maxWidth: 560, margin: "15vh auto", padding: 24 }}>
      <h1>Encore</h1>
      <p>Loyalty points, post-purchase offers, thank-you emails and satisfaction surveys for Shopify stores.</p>
      <p>Open Encore from your store&apos;s Shopify admin, under Apps.</p>
    </main>
  );
}
