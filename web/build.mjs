// Builds the page into dist/ (committed, embedded in the binary by src/web/mod.rs).
// Prints each file's size and the gzip total; fails above the 400 KB gzip budget.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const BUDGET_GZIP_BYTES = 400 * 1024;
mkdirSync(dist, { recursive: true });

const common = { bundle: true, minify: true, logLevel: "warning", legalComments: "eof", charset: "utf8" };
await esbuild.build({
  ...common,
  entryPoints: [join(root, "src/main.ts")],
  outfile: join(dist, "app.js"),
  format: "iife",
  target: ["chrome105", "firefox110", "safari16"],
});
await esbuild.build({ ...common, entryPoints: [join(root, "src/style.css")], outfile: join(dist, "app.css") });
copyFileSync(join(root, "src/index.html"), join(dist, "index.html"));

let total = 0;
for (const name of ["index.html", "app.js", "app.css"]) {
  const bytes = readFileSync(join(dist, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`${name.padEnd(10)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gz / 1024).toFixed(1).padStart(6)} KB`);
}
console.log(`bundle total gzip ${(total / 1024).toFixed(1)} KB (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
if (total > BUDGET_GZIP_BYTES) {
  console.error("bundle over budget");
  process.exit(1);
}
