import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return {
    apiKey: process.env.SHOPIFY_API_KEY || "",
    // Shopify's library honours APP_BRIDGE_URL; the offline sandbox sets it to
    // its App Bridge stand-in. Unset in production: Shopify's CDN script.
    appBridgeUrl: process.env.APP_BRIDGE_URL || null,
  };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/program">Program</Link>
        <Link to="/app/tiers">Tiers</Link>
        <Link to="/app/rewards">Rewards</Link>
        <Link to="/app/referrals">Referrals</Link>
        <Link to="/app/offers">Offers</Link>
        <Link to="/app/emails">Emails</Link>
        <Link to="/app/satisfaction">Satisfaction</Link>
        <Link to="/app/inbox">Inbox</Link>
        <Link to="/app/activity">Activity</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included in the response.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
