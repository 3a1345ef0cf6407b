// `npm run demo`: Encore end to end on this machine, against the sandbox.
// The npm script has installed dependencies, migrated the embedded SQLite
// database and built the app; this starts the sandbox and the app, plays the
// seeded store's orders through real signed webhooks, and says where to look.
import { parseArgs } from "node:util";
import { importOffersData } from "./offers-demo.ts";
import { configureSandboxEmails, configureSandboxTiers, startStack } from "./stack.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "300" },
    port: { type: "string", default: "3000" },
    "sandbox-port": { type: "string", default: "4400" },
    "exit-after-seeding": { type: "boolean", default: false },
  },
});

const orders = Number(values.orders);
console.log("Encore demo — starting the Shopify sandbox and the app…");
const stack = await startStack({
  appPort: Number(values.port),
  sandboxPort: Number(values["sandbox-port"]),
  verbose: false,
});
const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

console.log(`Installed Encore on the sandbox shop ${stack.sandbox.shop}.`);
await configureSandboxEmails(stack);
console.log(`Emails: the shop's SMTP points at the sandbox's mail catcher (port ${stack.mail.port}).`);
await configureSandboxTiers(stack);
console.log("Tiers: Silver from 250 of lifetime spend (×1.25 points), Gold from 1,000 (×1.5).");
console.log(`Playing ${orders} seeded orders (with their refunds and cancellations) through signed webhooks…`);
const started = Date.now();
const result = await stack.sandbox.playOrders(orders, { flush: true });
console.log(`  ${result.delivered} webhooks delivered, ${result.failed} failed, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
// What the merchant does first on the Offers page: import the catalog and the
// order history (offers and "bought together" recommendations read them).
for (const line of await importOffersData(stack)) console.log(`  Offers: ${line}.`);

console.log(`
Encore is running against a local Shopify sandbox (not a real store).

  Admin (Encore embedded in a stand-in Shopify admin):  ${stack.adminUrl}
  Webhook deliveries (what the sandbox sent, and how the app answered):  ${stack.sandbox.url}/deliveries
  Thank-you page preview (Encore's real extension on an order):  ${stack.sandbox.url}/thank-you
  Emails the app sent (caught by the sandbox's SMTP server):  ${stack.sandbox.url}/mail

In the admin: Home shows the program's numbers, Customers the members and their
points ledgers, Settings the earning rules, Emails the post-purchase emails
(preview, delivery, send log). Thank-you emails go out one minute after each
paid order (the app works its job queue in-process) and appear at /mail. "Simulate a paid order" in the
sandbox banner sends one more signed orders/paid webhook.

To run Encore against a real development store instead: \`shopify app dev\`
(see README). Press Ctrl-C to stop.
`);

if (values["exit-after-seeding"]) await shutdown();
