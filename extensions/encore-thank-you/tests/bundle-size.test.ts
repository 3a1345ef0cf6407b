// @vitest-environment node
// Shopify refuses checkout UI extensions above 64 KB compressed; Encore keeps
// a margin below that, so the thank-you page stays fast.
import { expect, it } from "vitest";
import { buildExtension } from "../../../scripts/build-extension.mjs";

const LIMIT_BYTES = 48 * 1024;

it("bundles both targets below 48 KB compressed", async () => {
  const { bytes, gzipBytes, targets, code } = await buildExtension({ write: false });
  console.log(`encore-thank-you bundle: ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB compressed (limit ${LIMIT_BYTES / 1024} KB)`);
  expect(targets.map((t: { target: string }) => t.target).sort()).toEqual(["customer-account.order-status.block.render", "purchase.thank-you.block.render"]);
  expect(code).toContain('shopify.extend("purchase.thank-you.block.render"');
  expect(gzipBytes).toBeGreaterThan(1024); // it did bundle the block
  expect(gzipBytes).toBeLessThanOrEqual(LIMIT_BYTES);
});
