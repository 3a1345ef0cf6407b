// Parses Shopify webhook bodies without losing id precision.
//
// Shopify's numeric ids can exceed 2^53 (its documented sample order is
// 820982911946154508), which JSON.parse silently rounds. Every `id` and `*_id`
// member holding a number becomes the number's exact decimal text.
//
// How: the text is rewritten before a plain JSON.parse, quoting those
// numbers. A reviver (JSON.parse source text access) does the same but is
// called for every value of the body, several times slower on an order — and
// parsing is a visible part of each orders/paid. The pattern cannot match
// inside a string: it needs a `{` or `,` then an unescaped `"` before the
// member name, and an unescaped `"` ends a JSON string.

const ID_MEMBER = /([{,]\s*"(?:id|[^"\\]*_id)"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}])/g;

export function parseShopifyJson(text: string): unknown {
  return JSON.parse(text.replace(ID_MEMBER, '$1"$2"'));
}

export const gid = (type: string, id: string | number) => `gid://shopify/${type}/${id}`;

/** "gid://shopify/Customer/42" → "42"; plain ids pass through. */
export const legacyId = (id: string) => id.slice(id.lastIndexOf("/") + 1);
