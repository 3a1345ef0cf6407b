// Types of the Polaris web components (s-stack, s-text, …) for the block's
// targets. The block reads the `shopify` global through its own narrow view
// (src/index.tsx), since one module serves both targets.
/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
/// <reference types="@shopify/ui-extensions/customer-account.order-status.block.render" />
export {};
