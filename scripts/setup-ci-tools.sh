#!/usr/bin/env bash
# Debian tools the tests need (git, headless Chromium, poppler's pdftotext, CJK fonts).
# Installs only what is missing; needs root (as on CI) — elsewhere it says what to install.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
# documents (issue 6): HTML printed to PDF by headless Chromium, checked with pdftotext, CJK fonts
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
{ command -v fc-list >/dev/null && fc-list :lang=zh family | grep -qi "Noto Serif CJK"; } || need+=(fonts-noto-cjk)
exit_missing() { :; }
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "缺少工具：${need[*]}，请用 apt-get install 安装。" >&2
    exit 1
  fi
fi
