// Bundles extensions/encore-thank-you the way `shopify app build` does (one
// minified IIFE that registers the module for each target with
// shopify.extend), with the esbuild the project already has. Used by the
// bundle-size test and the sandbox's thank-you preview; `shopify app build`
// remains the production build.
//
//   node scripts/build-extension.mjs   → extensions/encore-thank-you/dist/encore-thank-you.js
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const extensionDir = path.join(root, "extensions", "encore-thank-you");
export const bundlePath = path.join(extensionDir, "dist", "encore-thank-you.js");

function targetsOf(toml) {
  const targets = [];
  for (const match of toml.matchAll(/module\s*=\s*"([^"]+)"\s*\n\s*target\s*=\s*"([^"]+)"/g)) targets.push({ module: match[1], target: match[2] });
  return targets;
}

/** Returns the bundle and its sizes; writes it to dist/ when `write`. */
export async function buildExtension({ write = true } = {}) {
  const targets = targetsOf(fs.readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8"));
  if (targets.length === 0) throw new Error("No [[extensions.targeting]] found in shopify.extension.toml");
  const modules = [...new Set(targets.map((t) => t.module))];
  const contents =
    modules.map((m, i) => `import m${i} from ${JSON.stringify(m)};`).join("\n") +
    "\n" +
    targets.map((t) => `shopify.extend(${JSON.stringify(t.target)}, (...args) => m${modules.indexOf(t.module)}(...args));`).join("\n");
  const result = await build({
    stdin: { contents, resolveDir: extensionDir, sourcefile: "extension-entry.js", loader: "js" },
    bundle: true,
    write: false,
    format: "iife",
    minify: true,
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  if (write) {
    fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
    fs.writeFileSync(bundlePath, code);
  }
  return { code: Buffer.from(code).toString("utf8"), bytes: code.length, gzipBytes: zlib.gzipSync(code, { level: 9 }).length, targets };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { bytes, gzipBytes } = await buildExtension();
  console.log(`encore-thank-you: ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB compressed → ${path.relative(root, bundlePath)}`);
}
