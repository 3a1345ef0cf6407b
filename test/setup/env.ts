// The app's Shopify configuration in tests: the same key and secret that
// @shopify/shopify-api/test-helpers signs requests and session tokens with.
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.SCOPES = "read_customers,write_customers,read_orders,read_products,write_discounts,read_returns,write_returns";
