// App Bridge stand-in for the offline sandbox (development and tests only).
// Shopify's App Bridge 4 is a CDN script that gives an embedded app the
// `shopify` global; the sandbox serves this instead (through the APP_BRIDGE_URL
// override that @shopify/shopify-app-remix documents). It covers what Encore's
// pages use: idToken, authenticated fetch, toast, loading, saveBar,
// resourcePicker, the nav menu and the session-token bounce page.
(function () {
  "use strict";
  var script = document.currentScript;
  var sandbox = new URL(script.src).origin;
  var apiKey = script.getAttribute("data-api-key") || "";
  var params = new URLSearchParams(location.search);
  var shop = params.get("shop") || sessionStorage.getItem("sandbox:shop") || "";
  if (shop) sessionStorage.setItem("sandbox:shop", shop);
  var nativeFetch = window.fetch.bind(window);

  var cached = null;
  function idToken() {
    if (cached && cached.expires > Date.now()) return Promise.resolve(cached.token);
    return nativeFetch(sandbox + "/session-token?shop=" + encodeURIComponent(shop))
      .then(function (r) { return r.json(); })
      .then(function (body) {
        cached = { token: body.token, expires: Date.now() + 45000 };
        return body.token;
      });
  }

  // The session-token bounce page: reload the target with a fresh id_token.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // Like App Bridge: requests to the app's own origin carry the session token,
  // and a 401 marked for retry is retried once with a fresh token.
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin) return nativeFetch(request);
    var retry = request.clone();
    return idToken().then(function (token) {
      if (!request.headers.has("Authorization")) request.headers.set("Authorization", "Bearer " + token);
      return nativeFetch(request).then(function (response) {
        if (response.status !== 401 || response.headers.get("X-Shopify-Retry-Invalid-Session-Request") !== "1") return response;
        cached = null;
        return idToken().then(function (fresh) {
          retry.headers.set("Authorization", "Bearer " + fresh);
          return nativeFetch(retry);
        });
      });
    });
  };

  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) node.setAttribute("style", style);
    if (text) node.textContent = text;
    return node;
  }

  var toastHost;
  var toast = {
    show: function (message, options) {
      options = options || {};
      if (!toastHost) {
        toastHost = el("div", "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:99999;display:flex;flex-direction:column;gap:8px;align-items:center");
        document.body.appendChild(toastHost);
      }
      var node = el(
        "div",
        "background:" + (options.isError ? "#8e1f0b" : "#1a1a1a") + ";color:#fff;padding:10px 16px;border-radius:10px;font:14px Inter,system-ui,sans-serif;box-shadow:0 4px 12px rgba(0,0,0,.25)",
        message,
      );
      node.setAttribute("role", "status");
      node.className = "sandbox-toast";
      toastHost.appendChild(node);
      var id = String(Date.now() + Math.random());
      setTimeout(function () { node.remove(); }, options.duration || 5000);
      return id;
    },
    hide: function () {
      if (toastHost) toastHost.replaceChildren();
    },
  };

  function resourcePicker(options) {
    options = options || {};
    var multiple = options.multiple !== false && options.multiple !== undefined ? options.multiple : false;
    return new Promise(function (resolve) {
      var overlay = el("div", "position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:99998;display:flex;align-items:center;justify-content:center");
      var dialog = el("div", "background:#fff;border-radius:12px;width:min(560px,92vw);max-height:80vh;display:flex;flex-direction:column;font:14px Inter,system-ui,sans-serif");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-label", "Select " + (options.type || "product") + "s");
      var head = el("div", "padding:16px;border-bottom:1px solid #e3e3e3;font-weight:600", "Select " + (options.type || "product") + (multiple ? "s" : ""));
      var search = el("input", "margin:12px 16px;padding:8px;border:1px solid #c9c9c9;border-radius:8px");
      search.placeholder = "Search " + (options.type || "product") + "s";
      search.setAttribute("aria-label", "Search " + (options.type || "product") + "s");
      var list = el("div", "overflow:auto;padding:0 16px;flex:1");
      var foot = el("div", "padding:12px 16px;border-top:1px solid #e3e3e3;display:flex;gap:8px;justify-content:flex-end");
      var cancel = el("button", "padding:6px 12px;border:1px solid #c9c9c9;border-radius:8px;background:#fff", "Cancel");
      var add = el("button", "padding:6px 12px;border:0;border-radius:8px;background:#303030;color:#fff", "Select");
      foot.append(cancel, add);
      dialog.append(head, search, list, foot);
      overlay.appendChild(dialog);
      document.body.appendChild(overlay);
      var selected = new Map();
      (options.selectionIds || []).forEach(function (s) { selected.set(s.id, null); });
      var items = [];
      function render() {
        list.replaceChildren.apply(list, items.map(function (p) {
          var row = el("label", "display:flex;gap:10px;align-items:center;padding:8px 0;border-bottom:1px solid #f1f1f1;cursor:pointer");
          var box = el("input");
          box.type = multiple ? "checkbox" : "radio";
          box.name = "sandbox-picker";
          box.checked = selected.has(p.id);
          box.addEventListener("change", function () {
            if (!multiple) selected.clear();
            if (box.checked) selected.set(p.id, p); else selected.delete(p.id);
          });
          var img = el("img", "width:36px;height:36px;border-radius:6px;object-fit:cover");
          img.src = p.featuredImage ? p.featuredImage.url : "";
          img.alt = "";
          row.append(box, img, el("span", "", p.title));
          return row;
        }));
      }
      function load() {
        var kind = options.type === "collection" ? "collections" : "products";
        nativeFetch(sandbox + "/picker/" + kind + "?query=" + encodeURIComponent(search.value))
          .then(function (r) { return r.json(); })
          .then(function (body) { items = body.nodes || []; render(); });
      }
      var timer;
      search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
      function close(value) { overlay.remove(); resolve(value); }
      cancel.addEventListener("click", function () { close(undefined); });
      add.addEventListener("click", function () {
        var chosen = [];
        selected.forEach(function (p, id) {
          var product = p || items.find(function (i) { return i.id === id; });
          if (!product) return;
          chosen.push({
            id: product.id,
            title: product.title,
            handle: product.handle,
            status: product.status,
            images: product.featuredImage ? [{ originalSrc: product.featuredImage.url, altText: product.featuredImage.altText }] : [],
            variants: (product.variants && product.variants.nodes || []).map(function (v) { return { id: v.id, title: v.title, price: v.price, sku: v.sku }; }),
          });
        });
        close(chosen);
      });
      load();
      search.focus();
    });
  }

  var saveBarVisible = {};
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, locale: "en-US", host: params.get("host") || "" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: location.origin,
    idToken: idToken,
    toast: toast,
    loading: function () {},
    resourcePicker: resourcePicker,
    user: function () { return Promise.resolve({ id: 1, name: "Sandbox Staff", accountAccess: "Account owner" }); },
    saveBar: {
      show: function (id) { saveBarVisible[id] = true; return Promise.resolve(); },
      hide: function (id) { delete saveBarVisible[id]; return Promise.resolve(); },
      toggle: function (id) { if (saveBarVisible[id]) delete saveBarVisible[id]; else saveBarVisible[id] = true; return Promise.resolve(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
    modal: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () { return Promise.resolve(); } },
  };

  // App Bridge's web components render in the admin, not in the iframe.
  ["ui-nav-menu", "ui-title-bar", "ui-save-bar", "ui-modal"].forEach(function (name) {
    if (!customElements.get(name)) customElements.define(name, class extends HTMLElement {});
  });
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar{display:none!important}";
  document.head.appendChild(style);

  function post(message) {
    if (window.parent !== window) window.parent.postMessage(message, "*");
  }
  var lastNav = "";
  function reportNav() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return;
    var items = Array.prototype.map.call(menu.querySelectorAll("a"), function (a) {
      return { label: a.getAttribute("rel") === "home" ? "Home" : a.textContent.trim(), href: a.getAttribute("href") };
    });
    var key = JSON.stringify(items);
    if (key === lastNav) return;
    lastNav = key;
    post({ type: "sandbox:nav", items: items });
  }
  function reportLocation() {
    post({ type: "sandbox:location", pathname: location.pathname, search: location.search.replace(/([?&])id_token=[^&]*&?/, "$1") });
  }
  ["pushState", "replaceState"].forEach(function (method) {
    var original = history[method];
    history[method] = function () {
      var result = original.apply(this, arguments);
      setTimeout(reportLocation, 0);
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);
  document.addEventListener("DOMContentLoaded", function () {
    reportNav();
    reportLocation();
    new MutationObserver(reportNav).observe(document.body, { childList: true, subtree: true });
  });

  // The admin's nav asks the app to navigate, as App Bridge does with shopify:navigate.
  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "sandbox:navigate") return;
    var a = document.createElement("a");
    a.setAttribute("href", event.data.href);
    a.style.display = "none";
    document.body.appendChild(a);
    a.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    a.remove();
  });
})();
