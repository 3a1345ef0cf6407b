// Minimal stand-ins for the Polaris web components Encore's thank-you block
// renders (s-stack, s-grid, s-heading, s-text, s-badge, s-button,
// s-product-thumbnail, s-box), enough to see the real bundle on the
// sandbox's thank-you page. Shopify renders the real ones in checkout.
(function () {
  "use strict";
  var GAP = { none: "0", "small-500": "2px", "small-400": "4px", "small-300": "6px", "small-200": "8px", "small-100": "10px", small: "12px", base: "16px", large: "24px", "large-100": "28px" };
  function attr(el, name) {
    return el.getAttribute(name) || el.getAttribute(name.toLowerCase()) || el[name] || "";
  }
  function define(name, apply, observed) {
    if (customElements.get(name)) return;
    customElements.define(
      name,
      class extends HTMLElement {
        static get observedAttributes() { return observed || []; }
        connectedCallback() { apply(this); }
        attributeChangedCallback() { apply(this); }
      },
    );
  }
  define("s-stack", function (el) {
    el.style.display = "flex";
    el.style.flexDirection = attr(el, "direction") === "inline" ? "row" : "column";
    el.style.flexWrap = attr(el, "direction") === "inline" ? "wrap" : "nowrap";
    el.style.alignItems = attr(el, "direction") === "inline" ? "center" : "stretch";
    el.style.gap = GAP[attr(el, "gap")] || GAP.base;
  }, ["direction", "gap"]);
  define("s-grid", function (el) {
    el.style.display = "grid";
    el.style.gridTemplateColumns = attr(el, "gridTemplateColumns") || "1fr";
    el.style.alignItems = attr(el, "alignItems") || "start";
    el.style.gap = GAP[attr(el, "gap")] || GAP.base;
  }, ["gridtemplatecolumns", "gap", "alignitems"]);
  define("s-box", function (el) { el.style.display = "block"; });
  define("s-heading", function (el) {
    el.style.display = "block";
    el.style.font = "600 17px/1.3 system-ui, sans-serif";
    el.setAttribute("role", "heading");
  });
  define("s-text", function (el) {
    el.style.display = "inline";
    el.style.fontWeight = attr(el, "type") === "strong" ? "600" : "400";
    el.style.color = attr(el, "color") === "subdued" ? "#6b6b6b" : "#1a1a1a";
  }, ["type", "color"]);
  define("s-badge", function (el) {
    el.style.cssText = "display:inline-block;padding:1px 8px;border-radius:999px;background:#e3f1df;color:#0c5132;font-size:12px;font-weight:600";
  });
  define("s-product-thumbnail", function (el) {
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    root.innerHTML = "";
    var img = document.createElement("img");
    img.src = attr(el, "src");
    img.alt = attr(el, "alt");
    img.style.cssText = "width:64px;height:64px;object-fit:cover;border-radius:8px;border:1px solid #e3e3e3;display:block";
    root.appendChild(img);
  }, ["src", "alt"]);
  define("s-button", function (el) {
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    if (!root.firstChild) {
      var button = document.createElement("button");
      button.setAttribute("part", "button");
      button.appendChild(document.createElement("slot"));
      button.addEventListener("click", function () {
        var href = attr(el, "href");
        if (href) window.location.href = href;
        else el.dispatchEvent(new Event("click-action"));
      });
      root.appendChild(button);
    }
    var primary = attr(el, "variant") !== "secondary";
    root.firstChild.style.cssText =
      "font:600 14px system-ui,sans-serif;padding:8px 14px;border-radius:8px;cursor:pointer;" +
      (primary ? "background:#1a1a1a;color:#fff;border:0" : "background:#fff;color:#1a1a1a;border:1px solid #c9c9c9");
    el.setAttribute("role", "link");
  }, ["href", "variant"]);
})();
