#!/usr/bin/env bash
# Build the jianggao server and the VS Code extension for one platform.
#
#   scripts/package.sh TARGET [--binary PATH] [--out DIR] [--static]
#
# TARGET is a VS Code platform: win32-x64, darwin-arm64, darwin-x64, linux-x64,
# linux-arm64, or `universal` (no server inside: the extension then uses
# `jianggao` on PATH or the jianggao.server.path setting).
#
# Without --binary the release binary is built here (`cargo build --release
# --locked`, debug info stripped), so TARGET must be this machine's platform; the
# release workflow passes the binaries dist built for the other platforms with
# --binary. The binary is copied to editors/vscode/server/jianggao (jianggao.exe
# for Windows), `vsce package --target TARGET` writes
# DIR/jianggao-TARGET-VERSION.vsix (DIR defaults to editors/vscode/dist) and its
# SHA-256 sum, and the package is checked (editors/vscode/tools/vsix.js): target
# platform and version in the manifest; the server present, executable once
# installed, built for TARGET's system and processor (statically linked with
# --static); and, when it runs on this machine, answering `--version` with this
# version and the knowledge-base revision. Needs cargo, Node.js >= 20 and npm.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXT="$ROOT/editors/vscode"
TARGETS="win32-x64 darwin-arm64 darwin-x64 linux-x64 linux-arm64 universal"

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "package.sh: $*" >&2; exit 1; }

target="" binary="" out="$EXT/dist" static=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --static) static=--static; shift ;;
    -h|--help) usage 0 ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$target" ] || die "one TARGET only"; target=$1; shift ;;
  esac
done
[ -n "$target" ] || usage
[[ " $TARGETS " == *" $target "* ]] || die "unknown TARGET '$target' (one of: $TARGETS)"

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;; Darwin) os=darwin ;; MINGW*|MSYS*|CYGWIN*) os=win32 ;; *) os=unknown ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch=unknown ;;
  esac
  echo "$os-$arch"
}

# The crate and the extension are released together under one version.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n 1)
ext_version=$(node -p 'require(process.argv[1]).version' "$EXT/package.json")
[ "$version" = "$ext_version" ] || die "Cargo.toml has version $version but editors/vscode/package.json has $ext_version"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$EXT/server"
trap 'rm -rf "$EXT/server"' EXIT

if [ "$target" != universal ]; then
  exe=jianggao
  [[ "$target" == win32-* ]] && exe=jianggao.exe
  mkdir -p "$EXT/server"
  if [ -n "$binary" ]; then
    [ -f "$binary" ] || die "no such binary: $binary"
    cp "$binary" "$EXT/server/$exe"
  else
    host=$(host_target)
    [ "$host" = "$target" ] || die "this machine is $host, it cannot build $target; pass the binary with --binary"
    echo "==> cargo build --release --locked ($host)"
    (cd "$ROOT" && cargo build --release --locked --bin jianggao)
    cp "$ROOT/target/release/$exe" "$EXT/server/$exe"
    # The release profile keeps line tables for profiling; writers need none.
    case "$host" in
      linux-*) strip --strip-debug "$EXT/server/$exe" ;;
      darwin-*) strip -S "$EXT/server/$exe" ;;
    esac
  fi
  chmod 755 "$EXT/server/$exe"
fi

cd "$EXT"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi

name="jianggao-$target-$version.vsix"
target_flag=()
[ "$target" = universal ] || target_flag=(--target "$target")
echo "==> vsce package ${target_flag[*]} → $out/$name"
rm -f "$out/$name" "$out/$name.sha256"
# vscode:prepublish compiles the TypeScript sources first.
npx --no-install vsce package --allow-missing-repository "${target_flag[@]}" --out "$out/$name"

run=""
[ "$target" = universal ] || run=--run
echo "==> check $name"
node tools/vsix.js check "$out/$name" --target "$target" --version "$version" $static $run

(cd "$out" && if command -v sha256sum >/dev/null; then sha256sum "$name"; else shasum -a 256 "$name"; fi > "$name.sha256")
echo "OK $out/$name ($(wc -c < "$out/$name" | tr -d ' ') bytes) sha256 $(cut -d' ' -f1 "$out/$name.sha256")"
