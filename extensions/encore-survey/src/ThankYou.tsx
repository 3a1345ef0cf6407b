/** @jsxImportSource preact */
// purchase.thank-you.block.render: the survey right after checkout.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { productsOf } from "./lines";
import { Survey } from "./Survey";

export default async () => {
  const order = shopify.orderConfirmation.value?.order;
  if (!order?.id) return;
  const products = productsOf(shopify.lines.value);
  const settings = shopify.settings.value as { heading?: string };
  render(
    <Survey
      surface="thank-you"
      orderId={order.id}
      orderName={null}
      products={products}
      heading={settings.heading}
      translate={(key, replacements) => shopify.i18n.translate(key, replacements)}
      getToken={() => shopify.sessionToken.get()}
    />,
    document.body,
  );
};
