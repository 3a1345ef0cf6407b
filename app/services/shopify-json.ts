// Parses Shopify webhook bodies without losing id precision.
//
// Shopify's numeric ids can exceed 2^53 (its documented sample order is
// 820982911946154508), which JSON.parse silently rounds. The reviver reads the
// number's source text instead (JSON.parse source text access, Node ≥ 21) for
// every `id` and `*_id` field, so ids are always exact decimal strings.

type ReviverContext = { source?: string };

export function parseShopifyJson(text: string): unknown {
  return JSON.parse(text, function (this: unknown, key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === "number" && (key === "id" || key.endsWith("_id"))) {
      return context?.source ?? String(value);
    }
    return value;
  } as (key: string, value: unknown) => unknown);
}

export const gid = (type: string, id: string | number) => `gid://shopify/${type}/${id}`;

/** "gid://shopify/Customer/42" → "42"; plain ids pass through. */
export const legacyId = (id: string) => id.slice(id.lastIndexOf("/") + 1);
