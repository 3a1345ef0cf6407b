import { describe, expect, it } from "vitest";
import type { RecommendedProduct } from "../offers/recommend.server";
import { surveyLinks, unsubscribeUrl, verifySurveyLinkToken, verifyUnsubscribeToken, signToken, verifyToken } from "./links.server";
import { renderEmail, type RenderInput } from "./templates.server";
import { decryptSecret, encryptSecret } from "./crypto.server";
import { resolveLocale } from "./i18n";

const product = (n: number): RecommendedProduct => ({
  productId: `gid://shopify/Product/${n}`,
  variantId: null,
  title: `Mug <${n}>`,
  handle: `mug-${n}`,
  imageUrl: `https://cdn.example.com/mug-${n}.png`,
  price: "12.50",
  currencyCode: "EUR",
  discount: n === 1 ? { kind: "percent", value: "10" } : null,
  offerId: null,
  reason: "bought together",
  url: `https://shop.example.com/products/mug-${n}?discount=ENCORE10`,
});

const base: RenderInput = {
  kind: "thank_you",
  locale: "en",
  branding: { shopName: "Acme Coffee", senderName: "Acme", logoUrl: "https://cdn.example.com/logo.png", brandColor: "#aa3300" },
  custom: { subject: "", heading: "", body: "" },
  vars: { name: "Ada", order: "#1001", points: 42, balance: 120 },
  showPoints: true,
  products: [product(1), product(2)],
  survey: surveyLinks("acme.myshopify.com", "gid://shopify/Order/1"),
  unsubscribeUrl: unsubscribeUrl("acme.myshopify.com", "Ada@Example.com"),
};

describe("email rendering", () => {
  it("renders responsive HTML and a text part with points, products, survey and unsubscribe", async () => {
    const email = await renderEmail(base);
    expect(email.subject).toBe("Thank you for your order #1001");
    expect(email.html).toContain("Thank you, Ada!");
    expect(email.html).toContain("@media only screen"); // MJML's responsive columns
    expect(email.html).toContain("#aa3300");
    expect(email.html).toContain("https://cdn.example.com/logo.png");
    expect(email.html).toContain("Mug &lt;1&gt;");
    expect(email.html).not.toContain("Mug <1>");
    expect(email.html).toContain("10% off");
    expect(email.html).toContain("This order earned you 42 points.");
    for (let n = 1; n <= 5; n++) expect(email.html).toContain(`?score=${n}`);
    expect(email.text).toContain("Your balance is now 120 points.");
    expect(email.text).toContain("- Mug <2> — €12.50: https://shop.example.com/products/mug-2?discount=ENCORE10");
    expect(email.text).toContain("Unsubscribe from Acme Coffee's marketing emails: http");
  });

  it("renders with no products, no name and no unsubscribe link", async () => {
    const email = await renderEmail({ ...base, products: [], vars: { ...base.vars, name: null }, unsubscribeUrl: null });
    expect(email.html).toContain("Thank you!");
    expect(email.html).not.toContain("Picked for you");
    expect(email.text).not.toContain("Unsubscribe");
  });

  it("speaks the customer's language where a translation exists, and uses the merchant's text over it", async () => {
    expect(resolveLocale("fr-CA")).toBe("fr");
    expect(resolveLocale("de")).toBe("en");
    const fr = await renderEmail({ ...base, locale: "fr" });
    expect(fr.subject).toBe("Merci pour votre commande #1001");
    expect(fr.html).toContain("Cette commande vous a rapporté 42 points.");
    const custom = await renderEmail({ ...base, locale: "fr", custom: { subject: "Merci {name} de chez {shop}", heading: "", body: "" } });
    expect(custom.subject).toBe("Merci Ada de chez Acme Coffee");
  });
});

describe("signed links", () => {
  it("binds shop, order and purpose", () => {
    const url = surveyLinks("acme.myshopify.com", "gid://shopify/Order/7")[2].url;
    const token = /\/survey\/([^?]+)\?score=3$/.exec(url)![1];
    expect(verifySurveyLinkToken(token)).toEqual({ shopId: "acme.myshopify.com", orderId: "gid://shopify/Order/7" });
    const [body, sig] = token.split(".");
    const tampered = Buffer.from(JSON.stringify({ p: "survey", s: "acme.myshopify.com", o: "gid://shopify/Order/8" })).toString("base64url");
    expect(verifySurveyLinkToken(`${tampered}.${sig}`)).toBeNull();
    expect(verifySurveyLinkToken(`${body}.x${sig}`)).toBeNull();
    // A token for another purpose is refused.
    expect(verifyUnsubscribeToken(token)).toBeNull();
    expect(verifyToken("survey", signToken("unsubscribe", { s: "a", e: "b" }))).toBeNull();
  });

  it("unsubscribe tokens carry the lower-cased address", () => {
    const token = unsubscribeUrl("acme.myshopify.com", "Ada@Example.com").split("/").pop()!;
    expect(verifyUnsubscribeToken(token)).toEqual({ shopId: "acme.myshopify.com", email: "ada@example.com" });
  });
});

describe("secrets at rest", () => {
  it("round-trips with AES-256-GCM and refuses a tampered ciphertext", () => {
    const stored = encryptSecret("hunter2");
    expect(stored).not.toContain("hunter2");
    expect(encryptSecret("hunter2")).not.toBe(stored);
    expect(decryptSecret(stored)).toBe("hunter2");
    const parts = stored.split(":");
    parts[3] = Buffer.from("x" + Buffer.from(parts[3], "base64").toString("latin1"), "latin1").toString("base64");
    expect(() => decryptSecret(parts.join(":"))).toThrow();
  });
});
