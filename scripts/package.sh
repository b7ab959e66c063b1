#!/usr/bin/env bash
# Build the jianggao server and the VS Code extension for one platform.
#
#   scripts/package.sh TARGET [--binary PATH | --from DIR] [--out DIR] [--static]
#
# TARGET is a VS Code platform: win32-x64, darwin-arm64, darwin-x64, linux-x64,
# linux-arm64, or `universal` (no server inside: the extension then uses
# `jianggao` on PATH or the jianggao.server.path setting).
#
# Without --binary or --from the release binary is built here (`cargo build
# --release --locked`, debug info stripped), so TARGET must be this machine's
# platform. The release workflow passes with --from the folder of archives dist
# built (jianggao-TRIPLE.tar.xz or .zip, TRIPLE the Rust target of TARGET, see
# rust_triple below; `--rust-triples` prints them all); --binary takes a bare
# executable. The binary is copied to
# editors/vscode/server/jianggao (jianggao.exe for Windows), `vsce package
# --target TARGET` writes DIR/jianggao-TARGET-VERSION.vsix (DIR defaults to
# editors/vscode/dist) and its SHA-256 sum, and the package is checked
# (editors/vscode/tools/vsix.js): target platform and version in the manifest;
# the server present, executable once installed, built for TARGET's system and
# processor (statically linked with --static); and, when it runs on this
# machine, answering `--version` with this version and the knowledge-base
# revision. Needs cargo (when building), Node.js >= 20 and npm.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXT="$ROOT/editors/vscode"
TARGETS="win32-x64 darwin-arm64 darwin-x64 linux-x64 linux-arm64 universal"
# The Rust target dist builds for each platform (the targets of dist-workspace.toml;
# scripts/release-check.sh checks that the two lists agree).
rust_triple() {
  case "$1" in
    win32-x64) echo x86_64-pc-windows-msvc ;;
    darwin-arm64) echo aarch64-apple-darwin ;;
    darwin-x64) echo x86_64-apple-darwin ;;
    linux-x64) echo x86_64-unknown-linux-musl ;;
    linux-arm64) echo aarch64-unknown-linux-musl ;;
  esac
}
if [ "${1:-}" = --rust-triples ]; then
  for t in $TARGETS; do rust_triple "$t"; done
  exit 0
fi

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "package.sh: $*" >&2; exit 1; }

target="" binary="" from="" out="$EXT/dist" static=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --from) from=${2:?--from needs a folder}; shift 2 ;;
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
scratch=$(mktemp -d)
rm -rf "$EXT/server"
trap 'rm -rf "$EXT/server" "$scratch"' EXIT

if [ -n "$from" ]; then
  [ -z "$binary" ] || die "--binary and --from exclude each other"
  [ "$target" != universal ] || die "the universal package has no server; --from does not apply"
  triple=$(rust_triple "$target")
  archive=""
  for candidate in "$from/jianggao-$triple.tar.xz" "$from/jianggao-$triple.zip"; do
    [ -f "$candidate" ] && archive=$candidate
  done
  [ -n "$archive" ] || die "no jianggao-$triple.tar.xz or .zip in $from"
  case "$archive" in
    *.tar.xz) tar -xJf "$archive" -C "$scratch" ;;
    *.zip) unzip -q "$archive" -d "$scratch" ;;
  esac
  binary=$(find "$scratch" -type f \( -name jianggao -o -name jianggao.exe \) | head -n 1)
  [ -n "$binary" ] || die "no jianggao binary in $archive"
  echo "==> server from $archive"
fi

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
