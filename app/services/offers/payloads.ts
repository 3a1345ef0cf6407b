// products/update and products/delete payload fields the offers cache reads
// (REST webhook shapes, API 2026-10). Unknown fields pass through.
import { z } from "zod/v4";

const id = z.union([z.string().min(1), z.number()]).transform(String);
const amount = z.union([z.string(), z.number()]).transform(String);

export const productPayload = z
  .object({
    id,
    title: z.string(),
    handle: z.string(),
    vendor: z.string().nullish(),
    status: z.string().nullish(),
    published_at: z.string().nullish(),
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    image: z.object({ src: z.string() }).passthrough().nullish(),
    images: z.array(z.object({ src: z.string() }).passthrough()).nullish(),
    variants: z
      .array(
        z
          .object({
            id,
            title: z.string().nullish(),
            price: amount,
            inventory_quantity: z.number().int().nullish(),
            inventory_management: z.string().nullish(),
            inventory_policy: z.string().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

export const productDeletePayload = z.object({ id }).passthrough();

export type ProductPayload = z.infer<typeof productPayload>;
export type ProductDeletePayload = z.infer<typeof productDeletePayload>;
