#!/usr/bin/env bash
# `make demo`: the whole meeting cycle on a scratch copy of registry/, saying each step.
# Each section belongs to one feature; outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
JZ=".venv/bin/jiuzhu"
OUT="$(pwd)/out"
DEMO="$OUT/demo-registry"
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r registry "$DEMO"
export JIUZHU_REGISTRY="$DEMO"
step() { printf '\n== %s ==\n' "$*"; }

# --- registry (issue 2) ---
step "检查登记册（jiuzhu validate）"
$JZ validate | tail -n 1
step "成员单位"
$JZ units list
step "领域×单位职责矩阵"
$JZ duties matrix
step "家庭经济状况核对：谁提供什么信息"
$JZ duties matrix --info

# --- proposals, meetings, decisions, minutes (issue 3) ---

# --- supervision of tasks (issue 5) ---

# --- documents (issue 6) ---

step "完成"
echo "演示登记册：$DEMO"
echo "输出目录：$OUT"
