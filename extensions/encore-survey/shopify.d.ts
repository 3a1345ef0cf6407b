// The `shopify` global each module sees, per target (as `shopify app generate` writes it).
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/ThankYou.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

//@ts-ignore
declare module "./src/OrderStatus.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
