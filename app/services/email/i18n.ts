// Email texts per language. English is complete; other languages translate
// what they can and fall back to English key by key. Placeholders: {name},
// {shop}, {order}, {points}, {balance}, {date}.
import type { EmailKind, TextBlocks } from "./settings";

interface Common {
  greeting: string;
  greetingNoName: string;
  pointsEarned: string;
  balance: string;
  recommendations: string;
  shopNow: string;
  percentOff: string;
  amountOff: string;
  surveyQuestion: string;
  surveyLow: string;
  surveyHigh: string;
  footer: string;
  unsubscribe: string;
}

type Catalog = { common: Common } & Record<EmailKind, TextBlocks>;

const en: Catalog = {
  common: {
    greeting: "Hi {name},",
    greetingNoName: "Hi,",
    pointsEarned: "This order earned you {points} points.",
    balance: "Your balance is now {balance} points.",
    recommendations: "Picked for you",
    shopNow: "Shop now",
    percentOff: "{value}% off",
    amountOff: "{value} off",
    surveyQuestion: "How happy are you with your order? One click to answer:",
    surveyLow: "Not happy",
    surveyHigh: "Very happy",
    footer: "You are receiving this email because you shopped at {shop}.",
    unsubscribe: "Unsubscribe from {shop}'s marketing emails",
  },
  thank_you: {
    subject: "Thank you for your order {order}",
    heading: "Thank you, {name}!",
    body: "We're grateful you chose {shop}. Your order {order} is confirmed and we're getting it ready.",
  },
  review_request: {
    subject: "How is your order {order}?",
    heading: "Your order is on its way",
    body: "We hope you love what you bought from {shop}. Tell us how it went — it takes one click.",
  },
  reward_ready: {
    subject: "Your reward at {shop} is ready",
    heading: "You've earned a reward!",
    body: "You now have {balance} points at {shop} — enough to claim a reward on your next order.",
  },
  points_expiring: {
    subject: "Your {points} points at {shop} expire soon",
    heading: "Don't lose your points",
    body: "{points} of your points at {shop} expire on {date}. Use them on your next order before they're gone.",
  },
  win_back: {
    subject: "We miss you at {shop}",
    heading: "It's been a while, {name}",
    body: "A lot has changed at {shop} since your last visit. Come and see what's new — your {balance} points are waiting.",
  },
};

const fr: { common: Partial<Common> } & Partial<Record<EmailKind, Partial<TextBlocks>>> = {
  common: {
    greeting: "Bonjour {name},",
    greetingNoName: "Bonjour,",
    pointsEarned: "Cette commande vous a rapporté {points} points.",
    balance: "Votre solde est maintenant de {balance} points.",
    recommendations: "Sélectionnés pour vous",
    shopNow: "Découvrir",
    percentOff: "{value} % de remise",
    amountOff: "{value} de remise",
    surveyQuestion: "Êtes-vous satisfait de votre commande ? Un clic suffit pour répondre :",
    surveyLow: "Pas satisfait",
    surveyHigh: "Très satisfait",
    footer: "Vous recevez cet e-mail parce que vous avez fait un achat chez {shop}.",
    unsubscribe: "Se désabonner des e-mails marketing de {shop}",
  },
  thank_you: {
    subject: "Merci pour votre commande {order}",
    heading: "Merci, {name} !",
    body: "Merci d'avoir choisi {shop}. Votre commande {order} est confirmée et nous la préparons.",
  },
};

const catalogs: Record<string, typeof fr> = { fr };
export const LOCALES = ["en", "fr"] as const;

/** "fr-CA" → "fr"; anything without a translation → "en". */
export function resolveLocale(locale: string | null | undefined): string {
  const base = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base) ? base : "en";
}

export function commonTexts(locale: string): Common {
  return { ...en.common, ...(catalogs[locale]?.common ?? {}) };
}

export function defaultBlocks(kind: EmailKind, locale: string): TextBlocks {
  return { ...en[kind], ...(catalogs[locale]?.[kind] ?? {}) };
}

/** The merchant's text where they wrote one, the translated default otherwise. */
export function blocksFor(kind: EmailKind, locale: string, custom: TextBlocks): TextBlocks {
  const defaults = defaultBlocks(kind, locale);
  return {
    subject: custom.subject || defaults.subject,
    heading: custom.heading || defaults.heading,
    body: custom.body || defaults.body,
  };
}

export function fill(template: string, vars: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined || value === null ? whole : String(value);
  });
}
