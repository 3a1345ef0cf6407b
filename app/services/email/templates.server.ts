// Email rendering with MJML: responsive HTML that mail clients agree on
// (MJML compiles to the table layout and media queries they need) plus a
// plain-text part built from the same content.
import mjml2html from "mjml";
import { formatMoney } from "../money";
import type { RecommendedProduct } from "../offers/recommend.server";
import { blocksFor, commonTexts, fill } from "./i18n";
import type { EmailKind, TextBlocks } from "./settings";

export interface Branding {
  shopName: string;
  senderName: string | null;
  logoUrl: string | null;
  brandColor: string;
}

export interface RenderInput {
  kind: EmailKind;
  locale: string;
  branding: Branding;
  /** The merchant's blocks ("" = translated default). */
  custom: TextBlocks;
  vars: { name?: string | null; order?: string | null; points?: number | null; balance?: number | null; date?: string | null };
  /** Thank-you: the points this order earned and the balance after it. */
  showPoints?: boolean;
  products?: RecommendedProduct[];
  survey?: { score: number; url: string }[];
  /** Present on marketing emails. */
  unsubscribeUrl?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const attr = escapeHtml;

function discountLabel(p: RecommendedProduct, locale: string): string | null {
  if (!p.discount) return null;
  const t = commonTexts(locale);
  return p.discount.kind === "percent"
    ? fill(t.percentOff, { value: p.discount.value })
    : fill(t.amountOff, { value: formatMoney(p.discount.value, p.currencyCode, locale) });
}

export async function renderEmail(input: RenderInput): Promise<RenderedEmail> {
  const { branding, locale } = input;
  const t = commonTexts(locale);
  const shop = branding.shopName;
  const vars = { ...input.vars, shop, name: input.vars.name || "" };
  const blocks = blocksFor(input.kind, locale, input.custom);
  // Without a name, "Thank you, {name}!" reads "Thank you!".
  const unnamed = (s: string) => (input.vars.name ? s : s.replace(/,?\s*\{name\}/g, ""));
  const subject = fill(unnamed(blocks.subject), vars).replace(/\s+/g, " ").trim();
  const heading = fill(unnamed(blocks.heading), vars).trim();
  const paragraphs = fill(blocks.body, vars)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const greeting = input.vars.name ? fill(t.greeting, vars) : t.greetingNoName;
  const color = branding.brandColor;
  const products = (input.products ?? []).slice(0, 4);
  const pointsLines =
    input.showPoints && input.vars.points
      ? [fill(t.pointsEarned, vars), ...(input.vars.balance !== null && input.vars.balance !== undefined ? [fill(t.balance, vars)] : [])]
      : [];

  const header = branding.logoUrl
    ? `<mj-image src="${attr(branding.logoUrl)}" alt="${attr(shop)}" width="160px" padding="0" />`
    : `<mj-text align="center" font-size="22px" font-weight="bold" color="${color}">${escapeHtml(shop)}</mj-text>`;

  const productColumns = products
    .map((p) => {
      const price = formatMoney(p.price, p.currencyCode, locale);
      const off = discountLabel(p, locale);
      return `<mj-column width="${Math.floor(100 / products.length)}%" padding="8px">
        ${p.imageUrl ? `<mj-image src="${attr(p.imageUrl)}" alt="${attr(p.title)}" href="${attr(p.url)}" border-radius="6px" padding="0 0 8px" />` : ""}
        <mj-text padding="0" font-weight="bold" align="center">${escapeHtml(p.title)}</mj-text>
        <mj-text padding="4px 0" align="center">${escapeHtml(price)}${off ? ` · <span style="color:${color}">${escapeHtml(off)}</span>` : ""}</mj-text>
        <mj-button href="${attr(p.url)}" background-color="${color}" font-size="14px" padding="8px 0 0" inner-padding="8px 14px">${escapeHtml(t.shopNow)}</mj-button>
      </mj-column>`;
    })
    .join("\n");

  const surveyLinks = (input.survey ?? [])
    .map(
      (s) =>
        `<a href="${attr(s.url)}" style="display:inline-block;width:40px;height:40px;line-height:40px;margin:0 4px;border-radius:20px;border:2px solid ${color};color:${color};text-decoration:none;font-weight:bold;font-size:16px">${s.score}</a>`,
    )
    .join("");

  const source = `<mjml lang="${attr(locale)}">
  <mj-head>
    <mj-title>${escapeHtml(subject)}</mj-title>
    <mj-preview>${escapeHtml(paragraphs[0] ?? subject)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="1.55" color="#202223" />
      <mj-button border-radius="6px" color="#ffffff" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f5" width="600px">
    <mj-section padding="24px 16px 12px"><mj-column>${header}</mj-column></mj-section>
    <mj-section background-color="#ffffff" border-radius="8px 8px 0 0" padding="24px 16px 8px">
      <mj-column>
        <mj-text font-size="24px" font-weight="bold" color="${color}">${escapeHtml(heading)}</mj-text>
        <mj-text>${escapeHtml(greeting)}</mj-text>
        ${paragraphs.map((p) => `<mj-text>${escapeHtml(p).replace(/\n/g, "<br />")}</mj-text>`).join("\n")}
        ${
          pointsLines.length
            ? `<mj-text container-background-color="#f6f6f7" padding="14px 20px" font-size="16px">${pointsLines.map((l) => `<strong>${escapeHtml(l)}</strong>`).join("<br />")}</mj-text>`
            : ""
        }
      </mj-column>
    </mj-section>
    ${
      products.length
        ? `<mj-section background-color="#ffffff" padding="8px 16px 0"><mj-column><mj-text font-size="18px" font-weight="bold">${escapeHtml(t.recommendations)}</mj-text></mj-column></mj-section>
    <mj-section background-color="#ffffff" padding="0 8px 8px">${productColumns}</mj-section>`
        : ""
    }
    ${
      surveyLinks
        ? `<mj-section background-color="#ffffff" padding="8px 16px 16px"><mj-column>
        <mj-divider border-color="#e1e3e5" border-width="1px" />
        <mj-text align="center">${escapeHtml(t.surveyQuestion)}</mj-text>
        <mj-text align="center" padding="0 0 4px">${surveyLinks}</mj-text>
        <mj-text align="center" font-size="12px" color="#6d7175" padding="0">1 = ${escapeHtml(t.surveyLow)} · 5 = ${escapeHtml(t.surveyHigh)}</mj-text>
      </mj-column></mj-section>`
        : ""
    }
    <mj-section background-color="#ffffff" border-radius="0 0 8px 8px" padding="0 0 8px"><mj-column><mj-spacer height="8px" /></mj-column></mj-section>
    <mj-section padding="16px"><mj-column>
      <mj-text align="center" font-size="12px" color="#6d7175">${escapeHtml(fill(t.footer, vars))}${
        input.unsubscribeUrl
          ? `<br /><a href="${attr(input.unsubscribeUrl)}" style="color:#6d7175">${escapeHtml(fill(t.unsubscribe, vars))}</a>`
          : ""
      }</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

  const result = await mjml2html(source, { validationLevel: "strict", minify: false });
  if (result.errors.length) throw new Error(`MJML: ${result.errors.map((e) => e.formattedMessage).join("; ")}`);

  const text = [
    heading,
    "",
    greeting,
    "",
    ...paragraphs.flatMap((p) => [p, ""]),
    ...(pointsLines.length ? [...pointsLines, ""] : []),
    ...(products.length
      ? [
          `${t.recommendations}:`,
          ...products.map((p) => {
            const off = discountLabel(p, locale);
            return `- ${p.title} — ${formatMoney(p.price, p.currencyCode, locale)}${off ? ` (${off})` : ""}: ${p.url}`;
          }),
          "",
        ]
      : []),
    ...(input.survey?.length ? [t.surveyQuestion, ...input.survey.map((s) => `${s.score}: ${s.url}`), ""] : []),
    "--",
    fill(t.footer, vars),
    ...(input.unsubscribeUrl ? [`${fill(t.unsubscribe, vars)}: ${input.unsubscribeUrl}`] : []),
  ].join("\n");

  return { subject, html: result.html, text };
}
