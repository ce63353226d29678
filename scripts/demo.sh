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
jid() { .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
step "督办：国庆节前的临时会议议定两项任务，时限按法定工作日计算（10 月 1–7 日放假，10 月 10 日周六调休上班）"
$JZ meeting new --kind liaison --date 2026-09-25 --title 国庆节前联络员会议 >/dev/null
ADHOC=$($JZ meeting new --kind adhoc --date 2026-09-28 --title 国庆节前困难群众走访慰问专题会议 --format json | jid)
T1=$($JZ decision add "$ADHOC" --text "国庆节前后开展困难群众走访慰问，摸清临时救助需求。" \
    --lead minzheng --responsible caizheng --due-workdays 5 --format json | jid)
T2=$($JZ decision add "$ADHOC" --text "落实节日期间临时救助资金，确保及时发放。" \
    --lead caizheng --responsible minzheng --due-workdays 15 --format json | jid)
$JZ tasks list --as-of 2026-09-28
step "即将到期（截至 2026-10-08，5 个工作日内；调休的周六也算工作日）"
$JZ tasks due-soon --as-of 2026-10-08
step "两个单位报告进展（jiuzhu tasks update）"
$JZ tasks update "$T1" --by 县民政局 --percent 60 --note "已走访低保户和特困人员，需求清单整理中" --date 2026-10-09
$JZ tasks update "$T2" --by caizheng --percent 100 --status 已完成 --note "临时救助资金已拨付到乡镇" --date 2026-10-12
step "牵头单位调整是一次单独记录的行为（jiuzhu tasks reassign），原议定事项不改写"
$JZ tasks reassign "$T1" --lead minzheng --responsible caizheng --responsible renshe \
    --reason "走访发现就业困难人员较多，增加县人社局为责任单位" --decided-by 总召集人 --date 2026-10-13
$JZ tasks update "$T1" --by renshe --percent 70 --note "已对接就业困难人员的就业援助" --date 2026-10-14
$JZ tasks show "$T1"
step "逾期任务（截至 2026-10-27：按牵头单位分组，逾期天数、工作日数和督办等级）"
$JZ tasks overdue --as-of 2026-10-27
step "定时 CI 任务用 --fail：有逾期任务时退出码为 1"
$JZ tasks overdue --as-of 2026-10-27 --format json --fail > "$OUT/overdue.json" && echo "没有逾期任务" \
    || echo "退出码 $?：有逾期任务，明细见 $OUT/overdue.json"
step "全部任务的督办状态（今天）"
$JZ tasks list

# --- documents (issue 6) ---
step "公文：会议纪要、会议通知、工作简报、进展情况通报，各出 md、html（GB/T 9704 版式）、docx 三种格式"
DOCS="$OUT/documents"
mkdir -p "$DOCS"
# the demo's joint meeting: issued minutes first, then the one with the most decisions
read -r MEETING NOTICE_DATE < <($JZ meeting list --format json | .venv/bin/python -c '
import datetime as dt, json, sys
ms = [m for m in json.load(sys.stdin) if m["kind"] != "liaison"]
m = max(ms, key=lambda m: (m["minutes"] is not None, m["decisions"], m["date"]))
print(m["id"], dt.date.fromisoformat(m["date"]) - dt.timedelta(days=7))')
for fmt in md html docx; do
  $JZ minutes render "$MEETING" --format "$fmt" -o "$DOCS/会议纪要.$fmt"
  $JZ meeting notice "$MEETING" --date "$NOTICE_DATE" --format "$fmt" -o "$DOCS/会议通知.$fmt"
  $JZ briefing render --from 2026-07-01 --to 2026-10-31 --date 2026-11-02 --format "$fmt" -o "$DOCS/工作简报.$fmt"
  $JZ report progress --as-of 2026-10-27 --format "$fmt" -o "$DOCS/进展情况通报.$fmt"
done
step "会议纪要（Markdown，可直接贴进 pull request）"
$JZ minutes render "$MEETING"
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$BROWSER" ]; then
  step "用无头 Chromium 把 HTML 打印成 PDF（A4，GB/T 9704 页边距和页码）"
  for name in 会议纪要 会议通知 工作简报 进展情况通报; do
    "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$OUT/.chromium" --print-to-pdf="$DOCS/$name.pdf" \
      --no-pdf-header-footer "file://$DOCS/$name.html" >/dev/null 2>&1
    echo "已生成 PDF：$DOCS/$name.pdf"
  done
  rm -rf "$OUT/.chromium"
  if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$DOCS/会议纪要.pdf" "$DOCS/会议纪要-第1页"
    echo "纪要第 1 页预览：$DOCS/会议纪要-第1页.png"
  fi
else
  echo "（未安装 chromium，跳过 PDF；安装见 scripts/setup-ci-tools.sh）"
fi
step "公文输出文件"
ls -1 "$DOCS"/*

step "完成"
echo "演示登记册：$DEMO"
echo "输出目录：$OUT"
