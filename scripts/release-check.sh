#!/usr/bin/env bash
# Checks of the release pipeline that run without GitHub Actions (.ci/run runs
# this; .github/workflows/release.yml runs the real thing on version tags):
#
#   1. actionlint on every workflow (settings: .github/actionlint.yaml); it lints
#      the `run:` scripts with ShellCheck;
#   2. `dist generate --check`: release.yml is exactly what dist-workspace.toml
#      generates; `dist plan`: an archive and a checksum for each platform that
#      scripts/package.sh packages an extension for;
#   3. `cargo package --locked` builds the packaged crate; it holds all of data/
#      and nothing of editors/, tests/, benches/, fuzz/ or docs/, and stays under
#      1 MiB (sizes printed);
#   4. the static Linux binary dist ships for linux-x64: built for
#      x86_64-unknown-linux-musl, statically linked, with mimalloc as its allocator
#      (Cargo.toml says why), and `check` and `outline` of the bundled speech give
#      what the host build gives;
#   5. the workflow's packaging path: scripts/package.sh --from on a folder laid
#      out like dist's output (that musl binary in the archive for linux-x64; this
#      machine's release binary when the musl one could not be built outside CI)
#      gives a .vsix whose server answers --version.
#
# The musl build needs Rust's x86_64-unknown-linux-musl target (rustup) and musl-gcc
# (apt musl-tools) for the C parts; both are installed when missing. Under CI=true a
# musl build that cannot be made is a failure, elsewhere a NOTE.
# Tools (pinned in .github/release-tools.txt) go into target/release-tools;
# ShellCheck comes from apt when missing. Ends with "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
TOOLS="$ROOT/target/release-tools"
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS release: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL release: $*"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

install_tools() {
  local stamp="$TOOLS/.requirements.sha256" want
  want=$(sha256sum .github/release-tools.txt | cut -d' ' -f1)
  if [ -x "$TOOLS/bin/dist" ] && [ -x "$TOOLS/bin/actionlint" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  echo "==> install: $TOOLS (pinned: .github/release-tools.txt)"
  rm -rf "$TOOLS"
  python3 -m venv "$TOOLS" && "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check -r .github/release-tools.txt \
    && echo "$want" > "$stamp"
}
if ! install_tools; then
  fail "could not install the pinned tools of .github/release-tools.txt"
  finish
fi
if ! command -v shellcheck > /dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
  echo "==> install: shellcheck (apt)"
  { apt-get install -y -q shellcheck || { apt-get update -q && apt-get install -y -q shellcheck; }; } > "$TOOLS/apt-shellcheck.log" 2>&1
fi

# ---------------------------------------------------------------- 1. actionlint
if command -v shellcheck > /dev/null; then
  sc="with shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
else
  sc="WITHOUT shellcheck (not installed; run: scripts were not linted)"
fi
if out=$("$TOOLS/bin/actionlint" -no-color 2>&1); then
  pass "actionlint $("$TOOLS/bin/actionlint" --version | head -n 1 | awk '{print $NF}') on $(cd .github/workflows && echo *.yml) ($sc)"
else
  fail "actionlint:"; echo "$out" | sed 's/^/    /'
fi

if ! command -v shellcheck > /dev/null; then
  echo "NOTE release: shellcheck missing, scripts/*.sh not linted"
elif out=$(shellcheck -S warning scripts/package.sh scripts/release-check.sh editors/vscode/ci.sh 2>&1); then
  pass "shellcheck -S warning: scripts/package.sh scripts/release-check.sh editors/vscode/ci.sh"
else
  fail "shellcheck:"; echo "$out" | sed 's/^/    /'
fi

# ---------------------------------------------------------------- 2. dist
if out=$("$TOOLS/bin/dist" generate --check 2>&1); then
  pass "dist generate --check: .github/workflows/release.yml matches dist-workspace.toml"
else
  fail "dist generate --check (run: $TOOLS/bin/dist generate):"; echo "$out" | tail -n 20 | sed 's/^/    /'
fi
if plan=$("$TOOLS/bin/dist" plan --output-format=json 2> "$TOOLS/plan.stderr"); then
  missing=""
  for file in jianggao-installer.sh jianggao-installer.ps1 sha256.sum; do
    echo "$plan" | grep -q "\"$file\"" || missing="$missing $file"
  done
  for triple in $(bash scripts/package.sh --rust-triples); do
    for suffix in "" .sha256; do
      echo "$plan" | grep -Eq "\"jianggao-$triple\.(tar\.xz|zip)$suffix\"" || missing="$missing jianggao-$triple.*$suffix"
    done
  done
  if [ -z "$missing" ]; then
    pass "dist plan: $(echo "$plan" | grep -oE '"jianggao-[a-z0-9_-]+\.(tar\.xz|zip)"' | sort -u | tr -d '"' | tr '\n' ' ')with .sha256 each; installers and sha256.sum"
  else
    fail "dist plan lacks:$missing (are the targets of dist-workspace.toml and scripts/package.sh the same?)"
  fi
else
  fail "dist plan:"; tail -n 20 "$TOOLS/plan.stderr" | sed 's/^/    /'
fi

# ---------------------------------------------------------------- 3. cargo package
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if out=$(cargo package --locked --allow-dirty 2>&1); then
  crate="target/package/jianggao-$version.crate"
  list=$(cargo package --list --locked --allow-dirty 2> /dev/null)
  problems=""
  for f in $(git ls-files data 2> /dev/null || find data -type f); do
    grep -qxF "$f" <<< "$list" || problems="$problems missing:$f"
  done
  leaked=$(grep -E '^(editors|tests|benches|fuzz|docs|scripts|\.github|\.ci)/' <<< "$list" | head -n 5 | tr '\n' ' ')
  [ -z "$leaked" ] || problems="$problems included:$leaked"
  bytes=$(wc -c < "$crate" | tr -d ' ')
  [ "$bytes" -lt 1048576 ] || problems="$problems size:$bytes-bytes"
  summary=$(grep -E '^ *Packaged ' <<< "$out" | sed 's/^ *//')
  if [ -z "$problems" ]; then
    pass "cargo package: $summary; $crate is $bytes bytes; all of data/ ($(git ls-files data 2> /dev/null | wc -l | tr -d ' ') files) inside, no editors/tests/benches/fuzz/docs"
  else
    fail "cargo package contents:$problems"
  fi
else
  fail "cargo package --locked:"; echo "$out" | tail -n 20 | sed 's/^/    /'
fi

# ---------------------------------------------------------------- 4. the musl binary
if [ ! -x target/release/jianggao ]; then cargo build --release --locked --bin jianggao > /dev/null 2>&1; fi
musl_triple=x86_64-unknown-linux-musl
musl_bin="target/$musl_triple/release/jianggao"
musl_built=""
musl_skip() {
  if [ "${CI:-}" = true ]; then fail "musl build: $*"; else echo "NOTE release: musl build not tried: $*"; fi
}
build_musl() {
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    musl_skip "it needs a Linux x86_64 machine"; return 1
  fi
  if ! rustup target list --installed 2> /dev/null | grep -qx "$musl_triple"; then
    echo "==> install: Rust target $musl_triple (rustup)"
    rustup target add "$musl_triple" > "$TOOLS/rustup-musl.log" 2>&1 || { musl_skip "rustup target add $musl_triple failed"; return 1; }
  fi
  if ! command -v musl-gcc > /dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
    echo "==> install: musl-tools (apt)"
    { apt-get install -y -q musl-tools || { apt-get update -q && apt-get install -y -q musl-tools; }; } > "$TOOLS/apt-musl.log" 2>&1
  fi
  command -v musl-gcc > /dev/null || { musl_skip "musl-gcc is missing (apt install musl-tools)"; return 1; }
  echo "==> build: $musl_bin"
  if ! out=$(CC_x86_64_unknown_linux_musl="${CC_x86_64_unknown_linux_musl:-musl-gcc}" \
      cargo build --release --locked --target "$musl_triple" --bin jianggao 2>&1); then
    fail "cargo build --target $musl_triple:"; echo "$out" | tail -n 20 | sed 's/^/    /'; return 1
  fi
}
if build_musl; then
  musl_built=1
  problems=""
  linked=$(file -b "$musl_bin")
  grep -Eq "static(-pie)? linked|statically linked" <<< "$linked" || problems="$problems not-static:($linked)"
  # (grep reads all of nm's output: with -q it would stop early, and pipefail would
  # count nm's broken pipe as a failure)
  [ "$(nm "$musl_bin" 2> /dev/null | grep -Ec ' T _?mi_free$')" -gt 0 ] || problems="$problems no-mimalloc"
  for cmd in "check --format json" "outline --format json"; do
    # shellcheck disable=SC2086 # the subcommand and its flags are words
    if ! cmp -s <("$musl_bin" $cmd examples/讲话稿示例.txt 2>&1) <(target/release/jianggao $cmd examples/讲话稿示例.txt 2>&1); then
      problems="$problems differs:'$cmd'"
    fi
  done
  if [ -z "$problems" ]; then
    pass "$musl_triple: $(sed -E 's/, BuildID[^,]*//' <<< "$linked" | cut -c1-90); mimalloc linked; check and outline of the bundled speech as the host build's"
  else
    fail "$musl_triple binary:$problems"
  fi
fi

# ---------------------------------------------------------------- 5. package.sh --from
fake="$TOOLS/distrib"
rm -rf "$fake" && mkdir -p "$fake/stage/jianggao-x86_64-unknown-linux-musl"
stand_in=target/release/jianggao
[ -n "$musl_built" ] && stand_in=$musl_bin
cp "$stand_in" README.md "$fake/stage/jianggao-x86_64-unknown-linux-musl/"
tar -cJf "$fake/jianggao-x86_64-unknown-linux-musl.tar.xz" -C "$fake/stage" jianggao-x86_64-unknown-linux-musl
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "NOTE release: package.sh --from not tried: the stand-in archive needs a Linux x86_64 machine"
elif out=$(bash scripts/package.sh linux-x64 --from "$fake" --out "$fake/vsix" 2>&1); then
  pass "package.sh linux-x64 --from (dist's archive layout, $stand_in): $(grep -E 'server --version' <<< "$out" | sed 's/^ *//')"
else
  fail "package.sh linux-x64 --from:"; echo "$out" | tail -n 20 | sed 's/^/    /'
fi

finish
