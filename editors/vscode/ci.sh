#!/usr/bin/env bash
# Build, test and package the VS Code extension.
#
#   editors/vscode/ci.sh            # from anywhere
#
# Steps: npm ci → tsc (type-check + compile) → unit tests (node --test) →
# vsce package into editors/vscode/dist/.  Exits non-zero on the first failure.
# Needs Node.js >= 20 and npm; packages come from the npm registry (or the npm
# cache: set NPM_CONFIG_PREFER_OFFLINE=true to avoid the network when cached).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "node $(node --version), npm $(npm --version)"
node -e 'const [maj]=process.versions.node.split(".").map(Number); if (maj < 20) { console.error("Node.js >= 20 is required"); process.exit(1); }' \
    || fail "Node.js 20 or newer is required"

step "npm ci"
npm ci --no-audit --no-fund || fail "npm ci"

step "type-check and compile (tsc)"
rm -rf out
npm run --silent compile || fail "tsc"

step "unit tests (node --test)"
node --test out/test/*.test.js || fail "unit tests"

step "package (vsce)"
rm -rf dist
mkdir -p dist
# vscode:prepublish compiles again; that is cheap and keeps vsce's own flow intact.
npx --no-install vsce package --allow-missing-repository --out dist/ || fail "vsce package"

vsix=$(ls dist/*.vsix 2>/dev/null | head -n 1)
[ -n "$vsix" ] || fail "no .vsix produced"
# Sanity check of the archive: the compiled client and its runtime dependency must be inside.
node -e '
const fs = require("fs"), zlib = require("zlib");
const buf = fs.readFileSync(process.argv[1]);
// Walk the zip central directory for file names.
const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) { console.error("not a zip"); process.exit(1); }
let off = buf.readUInt32LE(eocd + 16), n = buf.readUInt16LE(eocd + 10), names = [];
for (let i = 0; i < n; i++) {
  const len = buf.readUInt16LE(off + 28), extra = buf.readUInt16LE(off + 30), comment = buf.readUInt16LE(off + 32);
  names.push(buf.toString("utf8", off + 46, off + 46 + len));
  off += 46 + len + extra + comment;
}
const need = ["extension/package.json", "extension/out/src/extension.js", "extension/out/src/serverPath.js",
  "extension/node_modules/vscode-languageclient/package.json", "extension/package.nls.zh-cn.json", "extension/LICENSE.txt"];
const missing = need.filter((f) => !names.includes(f));
const leaked = names.filter((f) => /^extension\/(src|test|tools|out\/test|server)\//.test(f));
if (missing.length || leaked.length) { console.error("missing:", missing, "leaked:", leaked); process.exit(1); }
console.log(`${names.length} files in the archive, required entries present`);
' "$vsix" || fail "vsix contents"

step "OK: $(pwd)/$vsix ($(du -h "$vsix" | cut -f1))"
