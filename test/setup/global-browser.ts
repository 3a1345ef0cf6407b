// Once before the browser tests: Debian's Chromium is installed and the app
// is built (the tests run the production build, as the demo does).
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup() {
  const root = process.cwd();
  execFileSync("bash", [path.join(root, "scripts", "ensure-chromium.sh")], { stdio: "inherit" });
  execFileSync(process.execPath, [path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
