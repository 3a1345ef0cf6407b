// Encore's backend: the app's URL (application_url in shopify.app.toml).
// Change it together with application_url when the app moves.
export const BACKEND_URL = "https://example.com";

/** After this long the block gives up and hides: the thank-you page never waits on Encore. */
export const TIMEOUT_MS = 5000;
