// The order's products, from the lines the page shows (deduplicated); the
// backend validates them again.
type LineLike = { merchandise: { title: string; product: { id: string } } };

export function productsOf(lines: readonly LineLike[] | undefined) {
  const seen = new Map<string, { productId: string; title: string }>();
  for (const line of lines ?? []) {
    const id = line.merchandise?.product?.id;
    if (id && !seen.has(id)) seen.set(id, { productId: id, title: line.merchandise.title });
  }
  return [...seen.values()];
}
