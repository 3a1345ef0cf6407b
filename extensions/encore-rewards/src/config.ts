// Where Encore's backend is served. Keep it equal to application_url in
// shopify.app.toml (`shopify app config link` / deploy set that one).
export const APP_URL = "https://example.com";
