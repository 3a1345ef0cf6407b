// Parses Shopify webhook bodies without losing id precision.
//
// Shopify's numeric ids can exceed 2^53 (its documented sample order is
// 820982911946154508), which JSON.parse silently rounds. Every `id` and `*_id`
// member holding a number becomes the number's exact decimal text.
//
// How: a plain JSON.parse, then each such member holding a safe integer
// becomes its digits (String of the number is the text Shopify sent: plain
// digits). Only a body with an id beyond 2^53 (or one that is not an
// integer) is parsed again, from its text rewritten to quote those numbers
// first. Ids in today's stores are 13–14 digits, far below; the rewrite on
// every body cost as much as JSON.parse itself, and a copy of the body
// (two bytes a character once it holds a dash or a curly quote) for each
// delivery. A reviver (JSON.parse source text access) does the same but is
// called for every value of the body, several times slower on an order. The
// pattern cannot match inside a string: it needs a `{` or `,` then an
// unescaped `"` before the member name, and an unescaped `"` ends a JSON
// string.

const ID_MEMBER = /([{,]\s*"(?:id|[^"\\]*_id)"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}])/g;

export function parseShopifyJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return quoteSafeIds(value) ? value : JSON.parse(text.replace(ID_MEMBER, '$1"$2"'));
}

const isId = (key: string) => key === "id" || key.endsWith("_id");

/** Makes the id members holding safe integers their digits, in place; false at one whose digits the number may not tell. */
function quoteSafeIds(node: unknown): boolean {
  if (node === null || typeof node !== "object") return true;
  if (Array.isArray(node)) {
    for (const item of node) if (!quoteSafeIds(item)) return false;
    return true;
  }
  const members = node as Record<string, unknown>;
  for (const key in members) {
    const value = members[key];
    if (typeof value !== "number") {
      if (!quoteSafeIds(value)) return false;
    } else if (isId(key)) {
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return false;
      members[key] = String(value);
    }
  }
  return true;
}

export const gid = (type: string, id: string | number) => `gid://shopify/${type}/${id}`;

/** "gid://shopify/Customer/42" → "42"; plain ids pass through. */
export const legacyId = (id: string) => id.slice(id.lastIndexOf("/") + 1);
