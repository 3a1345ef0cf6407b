// Product facts the earning rules need and order webhooks lack (tags,
// collections), from the Admin API. Any failure throws: the webhook then
// answers 5xx and Shopify retries, so an order is never credited under rules
// evaluated on missing data.
import { PRODUCT_RULE_FACTS } from "../../graphql/products";
import type { AdminGraphql } from "../shop-details.server";
import type { ProductFacts } from "./rules";

export class CatalogUnavailable extends Error {}

interface ProductNode {
  id?: string;
  tags?: string[];
  collections?: { nodes: { id: string; handle?: string; title?: string }[] };
}

export async function fetchProductFacts(graphql: AdminGraphql | undefined, productIds: string[]): Promise<Map<string, ProductFacts>> {
  const facts = new Map<string, ProductFacts>();
  if (productIds.length === 0) return facts;
  if (!graphql) throw new CatalogUnavailable("No Admin API client to look up product tags and collections");
  for (let i = 0; i < productIds.length; i += 250) {
    const ids = productIds.slice(i, i + 250);
    let body: { data?: { nodes?: (ProductNode | null)[] }; errors?: unknown };
    try {
      const response = await graphql(PRODUCT_RULE_FACTS, { variables: { ids } });
      if (!response.ok) throw new CatalogUnavailable(`Admin API answered ${response.status}`);
      body = (await response.json()) as typeof body;
    } catch (error) {
      if (error instanceof CatalogUnavailable) throw error;
      throw new CatalogUnavailable(`Product lookup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (body.errors || !Array.isArray(body.data?.nodes)) {
      throw new CatalogUnavailable(`Product lookup failed: ${JSON.stringify(body.errors ?? "no data").slice(0, 300)}`);
    }
    for (const node of body.data.nodes) {
      // A deleted product comes back null: it has no tags or collections to match.
      if (!node?.id) continue;
      facts.set(node.id, { tags: node.tags ?? [], collections: node.collections?.nodes ?? [] });
    }
  }
  return facts;
}
