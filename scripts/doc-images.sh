#!/usr/bin/env bash
# The page images in docs/documents.md: the first page of each document the demo printed (and the
# attachment page of the 通报), from the PDFs `make demo` writes to out/documents/. Needs pdftoppm
# (Debian poppler-utils). Run `make demo` first, then this; commit what changed in docs/images/.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=out/documents
IMAGES=docs/images
[ -f "$DOCS/会议纪要.pdf" ] || { echo "先运行 make demo（需要 chromium）生成 $DOCS/*.pdf" >&2; exit 1; }
mkdir -p "$IMAGES"
page() {  # page PDF NUMBER NAME
  pdftoppm -png -r 60 -f "$2" -l "$2" -singlefile "$DOCS/$1.pdf" "$IMAGES/$3"
  echo "已生成 $IMAGES/$3.png"
}
page 会议纪要 1 minutes-1
page 会议通知 1 notice-1
page 工作简报 1 briefing-1
page 进展情况通报 1 progress-1
last=$(pdfinfo "$DOCS/进展情况通报.pdf" | awk '/^Pages:/ {print $2}')
page 进展情况通报 "$last" progress-annex
