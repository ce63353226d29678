#!/usr/bin/env bash
# Debian tools the tests need (git, headless Chromium, poppler's pdftotext, LibreOffice, CJK fonts, Taskwarrior).
# Installs only what is missing; needs root (as on CI). Elsewhere it says what to install and,
# unless CI is set, lets the suite run (the browser tests then skip locally, never on CI).
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
# documents (issue 6): HTML printed to PDF by headless Chromium, checked with pdftotext, CJK fonts
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# the .docx layout is checked the way WPS/Word users see it: converted by LibreOffice
command -v libreoffice >/dev/null || command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
# the benchmark's side-by-side report (issue 8; tests/test_bench.py runs bench/run.py on a small registry)
command -v task >/dev/null || need+=(taskwarrior)
[ -x /usr/bin/time ] || need+=(time)  # GNU time: each benchmarked command's own peak memory
{ command -v fc-list >/dev/null && fc-list :lang=zh family | grep -qi "Noto Serif CJK"; } || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "缺少工具：${need[*]}，请用 sudo apt-get install ${need[*]} 安装（否则相关测试在本机跳过，CI 上失败）。" >&2
    # CI must have them all; a developer's machine may run the rest of the suite without them.
    if [ -n "${CI:-}" ]; then exit 1; fi
  fi
fi
