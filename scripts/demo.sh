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
pid() { .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
step "议事流程：三个成员单位提出议题（jiuzhu proposal new）"
P1=$($JZ proposal new --unit 县民政局 --title 关于调整2027年城乡低保标准的议题 \
    --summary "物价上涨，拟按联动机制调整城乡低保标准。" --date 2026-09-01 --format json | pid)
P2=$($JZ proposal new --unit weiji --title 关于推行医疗救助“一站式”即时结算的议题 --date 2026-09-02 --format json | pid)
P3=$($JZ proposal new --unit caizheng --title 关于加强社会救助资金监管的议题 --date 2026-09-02 --format json | pid)
$JZ proposal list
step "联席会议办公室初审：两项通过，一项退回（jiuzhu proposal review）"
$JZ proposal review "$P1" --pass --opinion "符合联席会议职责，同意提交审定。" --date 2026-09-07
$JZ proposal review "$P2" --pass --opinion "同意提交审定。" --date 2026-09-07
$JZ proposal review "$P3" --return --opinion "请补充资金规模和监管方式的测算。" --date 2026-09-07
step "不合规则的步骤被拒绝：退回的议题不能直接审定"
$JZ proposal approve "$P3" --date 2026-09-08 || echo "（退出码 $?：已拒绝，什么也没写）"
step "财政局修改后重新提交，办公室再次初审通过（jiuzhu proposal resubmit）"
$JZ proposal resubmit "$P3" --note "已补充资金规模测算和专项检查安排。" --date 2026-09-09
$JZ proposal review "$P3" --pass --opinion "补充后同意提交审定。" --date 2026-09-10
step "总召集人审定三项议题（jiuzhu proposal approve）"
for p in "$P1" "$P2" "$P3"; do $JZ proposal approve "$p" --by chief --date 2026-09-11; done
$JZ proposal show "$P3"
step "联络员会议研究议题（jiuzhu meeting new --kind liaison）"
LIAISON=$($JZ meeting new --kind liaison --date 2026-09-15 --time 09:30 --place 县民政局三楼会议室 --format json | pid)
echo "联络员会议：$LIAISON（办公室主持，议程为已通过初审的议题）"
$JZ meeting attend "$LIAISON" --rest --attended
step "例会：议程为已审定的议题，主持人为总召集人（jiuzhu meeting new --kind regular）"
REGULAR=$($JZ meeting new --kind regular --date 2026-09-22 --time 09:00 --place 县政府第一会议室 --format json | pid)
echo "例会：$REGULAR（三项议题已列入议程，状态变为“已上会”）"
$JZ proposal list --status 已上会
step "登记出席、请假、列席（jiuzhu meeting attend）"
$JZ meeting attend "$REGULAR" --unit 县民政局 --attended --name 徐智勇
$JZ meeting attend "$REGULAR" --unit 县信访局 --excused
$JZ meeting attend "$REGULAR" --rest --attended
$JZ meeting attend "$REGULAR" --observer --org 县人大常委会社会建设工委
step "议定事项：10 个工作日的时限跨过国庆节（10 月 1–7 日放假）（jiuzhu decision add）"
$JZ decision add "$REGULAR" --text "研究提出2027年城乡低保标准调整方案，报县政府审定。" --lead minzheng \
    --responsible caizheng --responsible tongji --area dibao --due-workdays 10 --proposal "$P1"
$JZ decision add "$REGULAR" --text "推行医疗救助“一站式”即时结算，年底前覆盖全县定点医疗机构。" --lead weiji \
    --responsible minzheng --responsible renshe --due 2026-12-31 --proposal "$P2"
step "议定事项：省略牵头单位，按各单位职责给出建议并说明理由；脚本中须加 --accept-suggestion 才采用"
$JZ decision add "$REGULAR" --text "加强社会救助资金监管，对救助资金的预算安排和拨付使用开展专项检查。" \
    --due-workdays 30 --proposal "$P3" </dev/null || echo "（退出码 $?：只给出建议，什么也没写）"
$JZ decision add "$REGULAR" --text "加强社会救助资金监管，对救助资金的预算安排和拨付使用开展专项检查。" \
    --due-workdays 30 --proposal "$P3" --accept-suggestion
$JZ decision add "$REGULAR" --text "各成员单位持续做好社会救助政策宣传。" --lead xuanchuan --responsible minzheng --ongoing
step "印发会议纪要并报县政府（jiuzhu minutes issue）"
$JZ minutes issue "$REGULAR" --date 2026-09-25
$JZ meeting show "$REGULAR"
step "纪要印发后，会议的议定事项不能再改"
$JZ decision add "$REGULAR" --text "补充一项" --lead minzheng --due 2026-12-31 || echo "（退出码 $?：已拒绝，什么也没写）"
$JZ meeting list
step "议事规则检查（jiuzhu validate --as-of 2026-12-31）"
$JZ validate --as-of 2026-12-31 | tail -n 1

# --- supervision of tasks (issue 5) ---
step "督办：例会的每条议定事项都是一项任务（jiuzhu tasks list）"
$JZ tasks list --as-of 2026-09-25
# task ids of the regular meeting, in the order decided (the first meeting that has decisions)
read -r R1 R2 R3 R4 < <($JZ tasks list --format json | .venv/bin/python -c '
import json, sys
rows = json.load(sys.stdin)
print(*[r["id"] for r in rows if r["meeting"] == rows[0]["meeting"]][:4])')
step "即将到期（截至 2026-10-09）：第一项 10 个工作日的时限跨过国庆节，到 10 月 13 日；10 月 10 日周六调休上班，也算工作日"
$JZ tasks due-soon --as-of 2026-10-09
step "两个单位报告进展（jiuzhu tasks update）"
$JZ tasks update "$R1" --by 县民政局 --percent 40 --note "已完成低保标准测算，征求财政、统计意见" --date 2026-10-09
$JZ tasks update "$R2" --by weiji --percent 30 --note "一站式结算系统已在县医院上线试运行" --date 2026-10-20
$JZ tasks update "$R4" --by 县委宣传部 --note "在县融媒体中心开设社会救助政策专栏" --date 2026-10-20
step "进度下降而不说明原因：拒绝，什么也没写"
$JZ tasks update "$R2" --by weiji --percent 20 --note "重新统计" --date 2026-10-21 || echo "（退出码 $?：已拒绝）"
step "纪要印发后调整牵头单位：单独记录日期、原因和决定人（jiuzhu tasks reassign），原议定事项不改写"
$JZ tasks reassign "$R3" --lead 县财政局 --responsible minzheng --responsible shenji \
    --reason "资金监管专项检查由财政部门牵头，审计部门配合" --decided-by 总召集人 --date 2026-10-15
$JZ tasks update "$R3" --by 县财政局 --percent 60 --note "已完成 8 个乡镇的资金拨付检查" --date 2026-10-30
$JZ tasks show "$R3"
step "逾期任务（截至 2026-11-16）：按牵头单位分组，逾期天数、逾期工作日和督办等级（催办 → 督办 → 通报）"
$JZ tasks overdue --as-of 2026-11-16
step "定时 CI 任务用 --fail：有逾期任务时退出码为 1"
$JZ tasks overdue --as-of 2026-11-16 --format json --fail > "$OUT/overdue.json" && echo "没有逾期任务" \
    || echo "退出码 $?：有逾期任务，明细见 $OUT/overdue.json"
step "全部任务今天的督办状态"
$JZ tasks list

# --- documents (issue 6) ---
step "公文：会议纪要、会议通知、工作简报、进展情况通报，各出 md、html（GB/T 9704 版式）、docx、pdf 四种格式"
DOCS="$OUT/documents"
mkdir -p "$DOCS"
# the demo's joint meeting: issued minutes first, then the one with the most decisions
read -r MEETING NOTICE_DATE < <($JZ meeting list --format json | .venv/bin/python -c '
import datetime as dt, json, sys
ms = [m for m in json.load(sys.stdin) if m["kind"] != "liaison"]
m = max(ms, key=lambda m: (m["minutes"] is not None, m["decisions"], m["date"]))
print(m["id"], dt.date.fromisoformat(m["date"]) - dt.timedelta(days=7))')
FORMATS="md html docx"
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -n "${JIUZHU_BROWSER:-}" ]; then
  FORMATS="$FORMATS pdf"  # printed from the html by headless Chromium
else
  echo "（未安装 chromium，跳过 PDF；安装见 scripts/setup-ci-tools.sh）"
fi
for fmt in $FORMATS; do
  $JZ minutes render "$MEETING" -o "$DOCS/会议纪要.$fmt"
  $JZ meeting notice "$MEETING" --date "$NOTICE_DATE" -o "$DOCS/会议通知.$fmt"
  $JZ briefing render --from 2026-07-01 --to 2026-10-31 --date 2026-11-02 -o "$DOCS/工作简报.$fmt"
  $JZ report progress --as-of 2026-10-27 -o "$DOCS/进展情况通报.$fmt"
done
step "会议纪要（Markdown，可直接贴进 pull request）"
$JZ minutes render "$MEETING"
step "公文输出文件"
ls -1 "$DOCS"/*

# --- supervision: inspections, 督办 notices, the annual evaluation (issue 16) ---
step "专项检查：两个问题成为整改任务，和议定事项一样督办（jiuzhu inspection new / finding）"
INS=$($JZ inspection new --kind 专项检查 --topic 社会救助资金管理使用 --units 县民政局,县财政局 --date 2026-11-02 \
    | grep -o 'in-[0-9]*-[0-9a-f]*' | head -n 1)
$JZ inspection finding "$INS" --unit 县民政局 --text "3户低保对象未按期复核，限期完成复核并建立复核台账。" --due-workdays 10
$JZ inspection finding "$INS" --unit 县财政局 --text "临时救助资金拨付平均滞后20天，限期理顺拨付流程。" --due 2026-11-20
$JZ tasks overdue --as-of 2026-11-30
step "督办通知单：登记发出，回复时限按升级阶梯的工作日数（jiuzhu supervise notice --record）"
$JZ supervise notice --unit 县民政局 --date 2026-11-30 | head -n 12
$JZ supervise notice --unit 县民政局 --date 2026-11-30 --record -o "$DOCS/督办通知单-县民政局.docx"
NOTICE=$($JZ supervise list --as-of 2026-11-30 --format json | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
$JZ supervise list --as-of 2026-11-30
step "县民政局回复通知单（jiuzhu tasks update --reply-to）"
$JZ tasks update "$INS-1" --by 县民政局 --percent 60 --note "已完成2户复核，复核台账已建立" --reply-to "$NOTICE" --date 2026-12-02
$JZ supervise list --all --as-of 2026-12-03
step "检查情况通报（jiuzhu inspection render）"
$JZ inspection render "$INS" --date 2026-12-03 -o "$DOCS/检查情况通报.docx"
$JZ inspection render "$INS" --date 2026-12-03 -o "$DOCS/检查情况通报.html"
step "重点抽查：财政局报告整改完成，抽查核实不属实，任务重新打开（jiuzhu inspection sample / verify）"
$JZ tasks update "$INS-2" --by 县财政局 --status 已完成 --note "拨付流程已理顺" --date 2026-11-19
SPOT=$($JZ inspection new --kind 重点抽查 --topic 已报告办结事项 --units 县民政局,县财政局 --date 2026-12-01 \
    | grep -o 'in-[0-9]*-[0-9a-f]*' | head -n 1)
$JZ inspection sample "$SPOT" --done --n 1
$JZ inspection verify "$SPOT" "$INS-2" --result 不属实 --reason "抽查2户临时救助资金仍滞后15天" --date 2026-12-02
$JZ tasks show "$INS-2"
step "年度绩效评价（jiuzhu evaluate，规则在 evaluation.yaml）"
$JZ evaluate --year 2026 | tail -n 20
$JZ evaluate --year 2026 --render docx -o "$DOCS/年度绩效评价报告.docx"
$JZ evaluate --year 2026 --render html -o "$DOCS/年度绩效评价报告.html"

# --- calendars and spreadsheets (issue 17) ---
step "日历和表格：会议和时限导出为 .ics，任务清单导出为 Excel（jiuzhu calendar export、--format xlsx）"
$JZ calendar export -o "$OUT/联席会议.ics"
$JZ calendar export --unit 县民政局 -o "$OUT/县民政局.ics"
$JZ tasks list --format xlsx -o "$OUT/督办任务.xlsx"
$JZ duties matrix --format xlsx -o "$OUT/职责矩阵.xlsx"

# --- the static site (issue 17) ---
step "静态网站：概况、会议、成员单位、职责矩阵、全部任务和搜索，离线可用（jiuzhu site build）"
PDF_FLAG="--no-pdf"
case " $FORMATS " in *" pdf "*) PDF_FLAG="--pdf" ;; esac
$JZ site build -o "$OUT/site" --as-of 2026-12-03 "$PDF_FLAG"

# --- other governments by YAML alone (issue 19) ---
step "别的政府只写 YAML：国务院社会救助部际联席会议示例（examples/national）"
NATIONAL="$OUT/national-registry"
cp -r examples/national "$NATIONAL"
$JZ --registry "$NATIONAL" validate | tail -n 1
$JZ --registry "$NATIONAL" assign "人社部会同民政部做好低保对象就业帮扶"
NM=$($JZ --registry "$NATIONAL" meeting new --kind 全体会议 --date 2026-09-15 --format json | pid)
$JZ --registry "$NATIONAL" meeting attend "$NM" --rest --attended >/dev/null
$JZ --registry "$NATIONAL" decision add "$NM" --text "研究完善社会救助资金保障机制" --lead 民政部 --due 2026-12-31 --refer
step "经与会单位同意后印发：未征求意见不能印发，送出纪要稿、各单位同意后印发（jiuzhu minutes circulate / reply）"
$JZ --registry "$NATIONAL" minutes issue "$NM" --date 2026-09-20 || echo "（退出码 $?：已拒绝，什么也没写）"
$JZ --registry "$NATIONAL" minutes circulate "$NM" --date 2026-09-16 | head -n 1
for u in $($JZ --registry "$NATIONAL" meeting show "$NM" --format json | .venv/bin/python -c '
import json, sys; print(" ".join(a["unit"] for a in json.load(sys.stdin)["attended"]))'); do
  $JZ --registry "$NATIONAL" minutes reply "$NM" --unit "$u" --agree --date 2026-09-17 >/dev/null
done
$JZ --registry "$NATIONAL" minutes issue "$NM" --date 2026-09-18
$JZ --registry "$NATIONAL" minutes render "$NM" -o "$DOCS/部际联席会议纪要.docx"

step "完成"
echo "演示登记册：$DEMO"
echo "输出目录：$OUT"
echo "静态网站：$OUT/site/index.html（用浏览器直接打开）"
