#!/usr/bin/env bash
# Renders docs/export-page.png, the picture of an exported page in README: the bundled
# example speech through `jianggao export` (GB/T 9704-2012 layout), LibreOffice → PDF,
# page 1 → PNG. The GB2312 fonts offices use are not free software, so for the picture
# fontconfig maps them to Noto CJK (Debian fonts-noto-cjk): serif for 仿宋/楷体/小标宋,
# sans for 黑体. Needs soffice and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
target/release/jianggao export examples/讲话稿示例.txt -o "$work/speech.docx"
alias_for() {
  printf '<alias binding="same"><family>%s</family><prefer><family>%s</family></prefer></alias>\n' "$1" "$2"
}
{
  echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
  echo '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  alias_for 仿宋_GB2312 "Noto Serif CJK SC"
  alias_for 楷体_GB2312 "Noto Serif CJK SC"
  alias_for 方正小标宋简体 "Noto Serif CJK SC"
  alias_for 宋体 "Noto Serif CJK SC"
  alias_for 黑体 "Noto Sans CJK SC"
  echo '</fontconfig>'
} > "$work/fonts.conf"
FONTCONFIG_FILE="$work/fonts.conf" soffice "-env:UserInstallation=file://$work/profile" \
  --headless --convert-to pdf --outdir "$work" "$work/speech.docx" >/dev/null
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/speech.pdf" docs/export-page
echo "wrote docs/export-page.png"
