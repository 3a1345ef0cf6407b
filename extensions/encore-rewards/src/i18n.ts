// The extension's slice of the `shopify` global (typed loosely on purpose:
// both targets share these helpers).
interface I18n {
  translate(key: string, options?: Record<string, unknown>): string;
  formatNumber(value: number): string;
  formatDate(value: Date, options?: Intl.DateTimeFormatOptions): string;
}

const api = () => (globalThis as unknown as { shopify: { i18n: I18n } }).shopify;

export const t = (key: string, options?: Record<string, unknown>) => api().i18n.translate(key, options);
export const num = (value: number) => api().i18n.formatNumber(value);
export const date = (iso: string) => api().i18n.formatDate(new Date(iso), { dateStyle: "medium" } as Intl.DateTimeFormatOptions);
