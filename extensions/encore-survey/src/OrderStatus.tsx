/** @jsxImportSource preact */
// customer-account.order-status.block.render: the survey and, if the store
// offers them, refund/exchange requests with their status.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { productsOf } from "./lines";
import { Returns } from "./Returns";
import { Survey } from "./Survey";

export default async () => {
  const order = shopify.order.value;
  if (!order?.id) return;
  const settings = shopify.settings.value as { heading?: string; show_returns?: boolean };
  const translate = (key: string, replacements?: Record<string, string | number>) => shopify.i18n.translate(key, replacements);
  const getToken = () => shopify.sessionToken.get();
  render(
    <s-stack gap="large-200">
      <Survey
        surface="order-status"
        orderId={order.id}
        orderName={order.name}
        products={productsOf(shopify.lines.value)}
        heading={settings.heading}
        translate={translate}
        getToken={getToken}
      />
      {settings.show_returns !== false && <Returns orderId={order.id} translate={translate} getToken={getToken} />}
    </s-stack>,
    document.body,
  );
};
