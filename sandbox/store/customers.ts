/**
 * The seeded store's customers: people with US addresses, a few shopping in
 * French, German or Spanish, some VIP / wholesale / staff tags and a
 * realistic spread of email marketing consent (about 60% subscribed).
 *
 * Emails are on example.com and phone numbers in the fictional 555-01xx
 * range, so nothing here can reach a real person.
 */
import { rng } from "./random.ts";
import type { Rng } from "./random.ts";

export type Locale = "en" | "fr" | "de" | "es";
export type EmailConsent = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED";

export interface CustomerAddress {
  address1: string;
  city: string;
  province: string;
  /** Two-letter state code ("CA"), as Shopify's `province_code`. */
  provinceCode: string;
  country: "United States";
  zip: string;
  countryCode: "US";
}

export interface SandboxCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: Locale;
  tags: string[];
  emailMarketingConsent: EmailConsent;
  createdAt: string;
  address: CustomerAddress;
}

export const CUSTOMER_ID_BASE = 7_000_000_000_000;

const FIRST_NAMES: Record<Locale, string[]> = {
  en: [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mason",
    "Amelia", "Ethan", "Harper", "Aiden", "Evelyn", "Logan", "Abigail", "Jackson", "Emily", "Caleb", "Chloe",
    "Maya", "Jordan", "Priya", "Wei", "Aisha", "Marcus", "Keisha", "Hiro", "Grace", "Daniel", "Zoe", "Samuel",
    "Nora", "Owen", "Leah", "Isaiah", "Ruby", "Tyler", "Hannah", "Andre", "Naomi", "Connor", "Lily", "Devon",
  ],
  fr: ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Théo", "Inès", "Antoine"],
  de: ["Lena", "Jonas", "Hannah", "Felix", "Marie", "Lukas", "Anna", "Maximilian", "Katharina", "Paul"],
  es: ["Sofía", "Mateo", "Valentina", "Santiago", "Lucía", "Diego", "Camila", "Alejandro", "Elena", "Javier"],
};

const LAST_NAMES: Record<Locale, string[]> = {
  en: [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen",
    "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Patel", "Kim", "Chen", "Okafor",
    "Reyes", "Murphy", "Brooks", "Foster", "Hughes", "Price", "Bennett", "Sullivan",
  ],
  fr: ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Fournier", "Roux", "Lambert"],
  de: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter"],
  es: ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"],
};

/** [city, state, state code, zip prefix, weight ≈ relative population]. */
const CITIES: [string, string, string, string, number][] = [
  ["New York", "New York", "NY", "100", 10],
  ["Brooklyn", "New York", "NY", "112", 6],
  ["Los Angeles", "California", "CA", "900", 8],
  ["San Francisco", "California", "CA", "941", 4],
  ["San Diego", "California", "CA", "921", 3],
  ["Chicago", "Illinois", "IL", "606", 6],
  ["Houston", "Texas", "TX", "770", 5],
  ["Austin", "Texas", "TX", "787", 4],
  ["Dallas", "Texas", "TX", "752", 3],
  ["Phoenix", "Arizona", "AZ", "850", 3],
  ["Philadelphia", "Pennsylvania", "PA", "191", 3],
  ["Seattle", "Washington", "WA", "981", 4],
  ["Portland", "Oregon", "OR", "972", 3],
  ["Denver", "Colorado", "CO", "802", 3],
  ["Boston", "Massachusetts", "MA", "021", 3],
  ["Atlanta", "Georgia", "GA", "303", 3],
  ["Miami", "Florida", "FL", "331", 3],
  ["Orlando", "Florida", "FL", "328", 2],
  ["Minneapolis", "Minnesota", "MN", "554", 2],
  ["Nashville", "Tennessee", "TN", "372", 2],
  ["Charlotte", "North Carolina", "NC", "282", 2],
  ["Raleigh", "North Carolina", "NC", "276", 1],
  ["Columbus", "Ohio", "OH", "432", 2],
  ["Detroit", "Michigan", "MI", "482", 2],
  ["Salt Lake City", "Utah", "UT", "841", 1],
  ["Madison", "Wisconsin", "WI", "537", 1],
  ["Burlington", "Vermont", "VT", "054", 1],
];

const STREETS = [
  "Main St", "Oak Ave", "Maple St", "Cedar Ln", "Park Ave", "Pine St", "Elm St", "Washington Blvd", "Lake Dr",
  "Hillcrest Rd", "Sunset Blvd", "Broadway", "Highland Ave", "River Rd", "Church St", "Mill St", "Spring St",
];

/** Area code per state, for plausible-looking (but fictional) phone numbers. */
const AREA_CODES: Record<string, string> = {
  NY: "212", CA: "415", IL: "312", TX: "512", AZ: "602", PA: "215", WA: "206", OR: "503", CO: "303",
  MA: "617", GA: "404", FL: "305", MN: "612", TN: "615", NC: "704", OH: "614", MI: "313", UT: "801",
  WI: "608", VT: "802",
};

const CUSTOMERS_FROM = Date.UTC(2023, 0, 1);
const CUSTOMERS_TO = Date.UTC(2025, 11, 31);

export function buildCustomers(seed = 1, count = 150): SandboxCustomer[] {
  const r = rng(seed).fork("customers");
  const emails = new Set<string>();
  const customers: SandboxCustomer[] = [];
  let id = CUSTOMER_ID_BASE;
  for (let i = 0; i < count; i++) {
    id += r.int(5_000, 400_000);
    customers.push(buildCustomer(id, r, emails));
  }
  return customers;
}

function buildCustomer(id: number, r: Rng, emails: Set<string>): SandboxCustomer {
  const locale = r.weighted<Locale>(["en", "fr", "de", "es"], (l) => (l === "en" ? 85 : 5));
  const firstName = r.pick(FIRST_NAMES[locale]);
  const lastName = r.pick(LAST_NAMES[locale]);
  const address = buildAddress(r);
  return {
    id,
    firstName,
    lastName,
    email: uniqueEmail(firstName, lastName, r, emails),
    phone: r.chance(0.65) ? fictionalPhone(address.provinceCode, r) : null,
    locale,
    tags: customerTags(r),
    emailMarketingConsent: r.weighted<EmailConsent>(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED"], (c) =>
      c === "SUBSCRIBED" ? 60 : c === "NOT_SUBSCRIBED" ? 30 : 10,
    ),
    createdAt: new Date(CUSTOMERS_FROM + Math.floor(r.next() * (CUSTOMERS_TO - CUSTOMERS_FROM))).toISOString(),
    address,
  };
}

export function buildAddress(r: Rng): CustomerAddress {
  const [city, province, provinceCode, zipPrefix] = r.weighted(CITIES, (c) => c[4]);
  return {
    address1: `${r.int(12, 9800)} ${r.pick(STREETS)}`,
    city,
    province,
    provinceCode,
    country: "United States",
    zip: `${zipPrefix}${String(r.int(1, 99)).padStart(2, "0")}`,
    countryCode: "US",
  };
}

/** "+14155550142": a real area code with the 555-01xx numbers reserved for fiction. */
export function fictionalPhone(provinceCode: string, r: Rng): string {
  return `+1${AREA_CODES[provinceCode] ?? "555"}55501${String(r.int(0, 99)).padStart(2, "0")}`;
}

/** "Chloé" → "chloe", "Müller" → "muller". */
function asciiLower(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

export function uniqueEmail(firstName: string, lastName: string, r: Rng, taken: Set<string>): string {
  const first = asciiLower(firstName);
  const last = asciiLower(lastName);
  const local = r.pick([`${first}.${last}`, `${first}${last}`, `${first[0]}${last}`, `${first}_${last}`, `${first}.${last[0]}`]);
  let email = `${local}@example.com`;
  while (taken.has(email)) email = `${local}${r.int(2, 99)}@example.com`;
  taken.add(email);
  return email;
}

function customerTags(r: Rng): string[] {
  const tags: string[] = [];
  if (r.chance(0.06)) tags.push("vip");
  if (r.chance(0.03)) tags.push("wholesale");
  if (r.chance(0.02)) tags.push("staff");
  return tags;
}
