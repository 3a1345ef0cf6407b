// Where Encore's backend answers. Extensions call the app by absolute URL;
// keep this equal to `application_url` in shopify.app.toml (shopify app dev
// prints the tunnel URL to use while developing).
export const APP_URL = "https://example.com";
