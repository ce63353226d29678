"""Documents as Markdown and HTML: filters, golden files, the sandbox, template errors, writing."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from conftest import tree_hash
from docs_registry import DOCS_FILES, MEETING_ID

from jiuzhu.render import cn_date, cn_num, cn_seq, doc_number, fit_pt, percent
from jiuzhu.titles import title_lines

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JIUZHU_UPDATE_GOLDEN") == "1"

# Each document with the arguments that make it reproducible (fixed dates).
DOCS = {
    "minutes": ["minutes", "render", MEETING_ID],
    "notice": ["meeting", "notice", MEETING_ID, "--date", "2026-11-16"],
    "briefing": ["briefing", "render", "--from", "2026-07-01", "--to", "2026-12-15", "--date", "2026-12-16"],
    "progress": ["report", "progress", "--as-of", "2026-12-15"],
}


@pytest.fixture
def reg(make_registry):
    return make_registry(DOCS_FILES)


# --- filters --------------------------------------------------------------------------------------

def test_cn_date_has_no_zero_padding():
    assert cn_date(dt.date(2016, 7, 27)) == "2016年7月27日"
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"


@pytest.mark.parametrize(("n", "text"),
                         [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")])
def test_cn_num(n, text):
    assert cn_num(n) == text


def test_cn_num_refuses_out_of_range():
    with pytest.raises(ValueError):
        cn_num(100)


def test_cn_seq_levels():
    assert [cn_seq(3, level) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]


def test_doc_number_uses_hexagonal_brackets():
    assert doc_number(2026, 3) == "〔2026〕3号"
    assert doc_number(2026) == "〔2026〕　号"


def test_percent_and_fit():
    assert percent(1, 3) == "33.3%"
    assert percent(2, 2) == "100%"
    assert percent(0, 0) == "0%"
    assert fit_pt("社会救助工作简报", 48) == 48
    mark = "大厂回族自治县社会救助工作联席会议纪要"
    assert len(mark) * fit_pt(mark) <= 156 / 25.4 * 72  # one line of the 156 mm text block


DACHANG = ["大厂回族自治县社会救助工作联席会议", "大厂回族自治县"]


@pytest.mark.parametrize(("title", "names", "lines"), [
    ("国庆节前困难群众走访慰问专题会议纪要", [], ["国庆节前困难群众走访慰问专题会议纪要"]),
    # cut by width alone: 大厂回族自治县社会救助工 / 作联席会议2026年例会纪要
    ("大厂回族自治县社会救助工作联席会议2026年例会纪要", DACHANG,
     ["大厂回族自治县社会救助工作联席会议", "2026年例会纪要"]),
    ("大厂回族自治县社会救助工作联席会议2026年例会纪要", [], ["大厂回族自治县社会救助工作", "联席会议2026年例会纪要"]),
    ("关于召开大厂回族自治县社会救助工作联席会议2026年例会的通知", DACHANG,
     ["关于召开大厂回族自治县社会救助工作", "联席会议2026年例会的通知"]),
    ("大厂回族自治县社会救助工作联席会议议定事项进展情况通报", DACHANG,
     ["大厂回族自治县社会救助工作联席会议", "议定事项进展情况通报"]),
    ("关于加强城乡低保资金监管和临时救助备用金管理专题会议纪要", [],
     ["关于加强城乡低保资金监管和", "临时救助备用金管理专题会议纪要"]),
])
def test_titles_are_cut_between_words(title, names, lines):
    assert title_lines(title, names) == lines


def test_a_title_without_any_known_word_is_still_cut_to_fit():
    title = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"  # 22 characters, no word jiuzhu knows
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) == 2 and all(len(line) <= 20 for line in lines)


# --- golden files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("kind", list(DOCS))
def test_golden(jz, reg, tmp_path, kind, fmt):
    out = tmp_path / f"{kind}.{fmt}"
    result = jz(reg, *DOCS[kind], "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{kind}.{fmt}"
    text = out.read_text(encoding="utf-8")
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} 与输出不同；确认改动后运行 make golden"


def test_html_title_two_blank_lines_below_the_red_line(jz, reg, tmp_path):
    out = tmp_path / "m.html"
    assert jz(reg, *DOCS["minutes"], "-f", "html", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "hr.red-thick + h1 { margin-top: 57.9pt; }" in html  # 2 x 28.95 pt line pitch
    assert re.search(r'<hr class="red-thick">\s*<h1>', html)


# --- content --------------------------------------------------------------------------------------

def test_minutes_md_prints_to_stdout(jz, reg):
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 0, result.output
    assert "〔2026〕3号" in result.output
    assert "（牵头单位：县民政局；责任单位：县财政局；完成时限：2026年12月31日前）" in result.output
    assert "现将会议议定事项纪要如下：" in result.output


def test_unit_names_are_those_of_the_document_date(jz, reg):
    minutes = jz(reg, "minutes", "render", MEETING_ID).output
    report = jz(reg, "report", "progress", "--as-of", "2026-12-15").output
    assert "牵头单位：县卫生和计划生育局" in minutes  # renamed on 2026-12-01, after the meeting
    assert "| 县卫生健康局 |" in report


def test_unissued_minutes_are_a_marked_draft(jz, make_registry):
    files = dict(DOCS_FILES)
    key = f"meetings/2026/{MEETING_ID}.yaml"
    files[key] = re.sub(r"minutes: \{.*\}", "", str(files[key]))
    out = jz(make_registry(files), "minutes", "render", MEETING_ID).output
    assert "征求意见稿" in out
    assert "〔2026〕　号" in out
    assert "县社会救助工作联席会议办公室　　2026年　月　日印发" in out


def test_progress_totals_and_late_units(jz, reg):
    out = jz(reg, "report", "progress", "--as-of", "2026-12-15").output
    assert "2026年联席会议议定事项共3项，截至2026年12月15日已办结0项，占0%；正在推进1项；逾期1项；长期坚持1项。" in out
    assert "### （一）县财政局（1项）" in out
    assert "完成时限为2026年12月10日，已逾期3个工作日，予以督办。牵头单位至今未报送进展情况。" in out
    assert "| 序号 | 来源 | 议定事项 | 牵头单位 | 责任单位 | 完成时限 | 进展情况 | 状态 | 备注 |" in out


def test_briefing_preview_shows_next_number_and_writes_nothing(jz, reg):
    before = tree_hash(reg)
    out = jz(reg, *DOCS["briefing"]).output
    assert "第2期" in out
    assert tree_hash(reg) == before


def test_briefing_issue_records_the_number(jz, reg, tmp_path):
    result = jz(reg, *DOCS["briefing"], "--issue", "-o", str(tmp_path / "b.md"))
    assert result.exit_code == 0, result.output
    system = (reg / "system.yaml").read_text(encoding="utf-8")
    assert system.endswith("    - {year: 2026, number: 2, date: 2026-12-16, from: 2026-07-01, to: 2026-12-15}\n")
    assert "第3期" in jz(reg, "briefing", "render", "--date", "2026-12-20").output


def test_briefing_period_defaults_to_after_the_last_issue(jz, reg):
    out = jz(reg, "briefing", "render", "--date", "2026-12-16").output
    assert "（2026年7月1日至2026年12月16日）" in out


def test_briefing_period_backwards_is_refused(jz, reg):
    result = jz(reg, "briefing", "render", "--from", "2026-12-01", "--to", "2026-11-01")
    assert result.exit_code == 1
    assert "简报期间的开始日期 2026-12-01 晚于结束日期 2026-11-01" in result.output


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_notice_dated_after_the_meeting_is_refused(jz, reg, tmp_path, fmt):
    out = tmp_path / f"notice.{fmt}"
    before = tree_hash(reg)
    result = jz(reg, "meeting", "notice", MEETING_ID, "--date", "2026-11-27", "-f", fmt, "-o", str(out))
    assert result.exit_code == 1
    assert (f"错误：通知日期 2026年11月27日 晚于会议日期 2026年11月26日（会议 {MEETING_ID}）"
            in result.output)
    assert not out.exists() and tree_hash(reg) == before
    same_day = jz(reg, "meeting", "notice", MEETING_ID, "--date", "2026-11-26")
    assert same_day.exit_code == 0, same_day.output


def test_notice_lists_agenda_and_reply_date(jz, reg):
    out = jz(reg, *DOCS["notice"]).output
    assert "（一）关于提高2027年城乡低保标准的议题（县民政局提出）" in out
    assert "请各参会单位于2026年11月24日前将参会人员姓名、职务报联席会议办公室" in out


# --- safety ---------------------------------------------------------------------------------------

INJECT = "<script>alert(1)</script><b>粗</b>"


def _injected_registry(make_registry):
    """Markup in every kind of free text a document prints: decision texts, the meeting place,
    proposal titles, unit-free fields (an observer's organisation and name, what was heard) and
    progress notes."""
    files = dict(DOCS_FILES)
    key = f"meetings/2026/{MEETING_ID}.yaml"
    meeting = str(files[key])
    for old in ("报县政府审定后实施。", "报送资金监管办法。", "做好医疗救助与低保的衔接。",
                "place: 县政府三楼会议室", "org: 县政府办公室", "[孙八]", "工作情况的汇报]"):
        meeting = meeting.replace(old, old[:-1] + INJECT + old[-1], 1)
    files[key] = meeting
    for pkey in ("proposals/2026/p-20261101-minzheng-0001.yaml", "proposals/2026/p-20261105-caizheng-0002.yaml"):
        files[pkey] = str(files[pkey]).replace("的议题\n", f"的议题{INJECT}\n", 1)
    tkey = f"tasks/2026/{MEETING_ID}-1.yaml"
    files[tkey] = str(files[tkey]).replace("征求县财政局意见。", f"征求县财政局意见{INJECT}。")
    return make_registry(files)


INJECTED_DOCS = {**DOCS, "progress": ["report", "progress", "--as-of", "2027-03-01"]}


@pytest.mark.parametrize("kind", list(DOCS))
def test_html_escapes_every_value(jz, make_registry, tmp_path, kind):
    reg = _injected_registry(make_registry)
    out = tmp_path / f"{kind}.html"
    result = jz(reg, *INJECTED_DOCS[kind], "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    own = 1 if kind in ("minutes", "briefing") else 0  # the page's own script placing the 版记
    assert html.count("<script") == own
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;" in html
    expected = {"minutes": 7, "notice": 3, "briefing": 6, "progress": 6}[kind]
    assert html.count("&lt;script&gt;") >= expected


@pytest.mark.parametrize("kind", list(DOCS))
def test_markdown_carries_no_raw_html(jz, make_registry, kind):
    result = jz(_injected_registry(make_registry), *INJECTED_DOCS[kind])
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.output and "<b>" not in result.output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;" in result.output
    assert "\\\n" in result.output  # the template's own hard line breaks stay (CommonMark backslash)


def test_html_escapes_decision_text(jz, make_registry, tmp_path):
    files = dict(DOCS_FILES)
    key = f"meetings/2026/{MEETING_ID}.yaml"
    files[key] = str(files[key]).replace("报县政府审定后实施。", "报县政府审定后实施<script>alert(1)</script>。")
    out = tmp_path / "m.html"
    result = jz(make_registry(files), "minutes", "render", MEETING_ID, "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sandbox_refuses_python_internals(jz, make_registry):
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": "纪要\n{{ ''.__class__.__mro__ }}\n"})
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert ("错误：模板 登记册 templates/minutes.md.j2 第 2 行试图访问不允许的内部属性（__class__），已拒绝渲染"
            in result.output)
    assert "Traceback" not in result.output


def test_broken_template_names_template_line_and_name(jz, make_registry):
    broken = "# {{ system.minutes_mark }}\n\n{{ meeting.titel }}\n"
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": broken})
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert "错误：模板 登记册 templates/minutes.md.j2 第 3 行使用了未定义的名称“titel”" in result.output
    assert "Traceback" not in result.output


def test_undefined_variable_and_syntax_error(jz, make_registry):
    reg = make_registry({**DOCS_FILES, "templates/notice.md.j2": "通知\n{{ nosuch }}\n",
                         "templates/minutes.md.j2": "{% for d in meeting.decisions %}\n{{ d.text }}\n"})
    result = jz(reg, "meeting", "notice", MEETING_ID, "--date", "2026-11-16")
    assert "模板 登记册 templates/notice.md.j2 第 2 行使用了未定义的名称“nosuch”" in result.output
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert "模板 登记册 templates/minutes.md.j2 第 2 行有语法错误" in result.output


@pytest.mark.parametrize(("source", "line", "message"), [
    ("纪要\n{% if %}有{% endif %}\n", 2, "此处应有表达式，却遇到了“语句结束符 %}”"),
    ("纪要\n\n{{ meeting.title | x }}\n", 3, "没有名为“x”的过滤器"),
    ("{% for d in meeting.decisions %}\n{{ d.text }}\n", 2,
     "模板意外结束；此处应为 endfor 或 else（最内层未结束的是 for 块）"),
    ("纪要\n{% x %}\n", 2, "遇到未知的标签“x”"),
    ("{% if meeting.place %}\n地点\n{% endfor %}\n", 3,
     "遇到未知的标签“endfor”；此处应为 elif 或 else 或 endif（最内层未结束的是 if 块）"),
    ("{{ meeting.title meeting.place }}\n", 1, "此处应为“输出结束符 }}”，却遇到了“meeting”"),
    ("{{ meeting.date is x }}\n", 1, "没有名为“x”的判断（is 后面的名称）"),
])
def test_template_syntax_errors_are_chinese(jz, make_registry, source, line, message):
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": source})
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert f"错误：模板 登记册 templates/minutes.md.j2 第 {line} 行有语法错误：{message}\n" in result.output
    assert "Traceback" not in result.output


def test_runtime_filter_error_in_a_branch_is_chinese(jz, make_registry):
    source = "纪要\n{% if meeting.place %}{{ 1 | x }}{% endif %}\n"
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": source})
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert "没有名为“x”的过滤器" in result.output and "No filter" not in result.output


def test_filter_misuse_is_a_template_error(jz, make_registry):
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": "{{ meeting.decisions[2].due | cn_date }}\n"})
    result = jz(reg, "minutes", "render", MEETING_ID)
    assert result.exit_code == 1
    assert "错误：模板 登记册 templates/minutes.md.j2 第 1 行出错：cn_date 收到的日期为空" in result.output


def test_registry_template_shadows_default_by_name(jz, make_registry, tmp_path):
    own = "{{ meeting.date | cn_date }}｜{{ meeting.decisions[2].lead | unit }}\n"
    reg = make_registry({**DOCS_FILES, "templates/minutes.md.j2": own})
    assert jz(reg, "minutes", "render", MEETING_ID).output == "2026年11月26日｜县卫生和计划生育局\n"
    out = tmp_path / "m.html"
    assert jz(reg, "minutes", "render", MEETING_ID, "-f", "html", "-o", str(out)).exit_code == 0
    assert "现将会议议定事项纪要如下：" in out.read_text(encoding="utf-8")


# --- command-line contract ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_docx_need_output(jz, reg, fmt):
    result = jz(reg, "minutes", "render", MEETING_ID, "--format", fmt)
    assert result.exit_code == 1
    assert f"错误：{fmt} 格式需要用 -o 指定输出文件" in result.output


def test_existing_file_replaced_only_with_force(jz, reg, tmp_path):
    out = tmp_path / "m.md"
    out.write_text("旧内容", encoding="utf-8")
    result = jz(reg, "minutes", "render", MEETING_ID, "-o", str(out))
    assert result.exit_code == 1
    assert f"错误：文件已存在：{out}" in result.output
    assert out.read_text(encoding="utf-8") == "旧内容"
    result = jz(reg, "minutes", "render", MEETING_ID, "-o", str(out), "--force")
    assert result.exit_code == 0
    assert f"已生成会议纪要：{out}" in result.output
    assert "〔2026〕3号" in out.read_text(encoding="utf-8")


def test_unknown_meeting_suggests_nearest(jz, reg):
    result = jz(reg, "minutes", "render", "m-20261126-regular-a1b3")
    assert result.exit_code == 1
    assert "错误：没有会议“m-20261126-regular-a1b3”" in result.output
    assert f"你是不是想写“{MEETING_ID}”？" in result.output


@pytest.mark.parametrize("kind", list(DOCS))
def test_unknown_format_is_a_usage_error(jz, reg, tmp_path, kind):
    out = tmp_path / "doc.odt"
    result = jz(reg, *DOCS[kind], "--format", "odt", "-o", str(out))
    assert result.exit_code == 2
    assert "“odt”不是可用的格式，只能是 md、html、docx 或 pdf" in result.output
    assert not out.exists()


def test_render_core_refuses_unknown_format(reg):
    from jiuzhu.errors import InputRefused
    from jiuzhu.render import check_target

    with pytest.raises(InputRefused) as exc:
        check_target("odt", None, False)
    assert exc.value.message == "不支持的格式“odt”"


def test_document_settings_come_from_system_yaml(jz, make_registry):
    system = str(DOCS_FILES["system.yaml"]).replace(
        "    issuing_office: 县社会救助工作联席会议办公室\n",
        "    issuing_office: 县社会救助工作联席会议办公室\n    briefing_compiler: 县民政局\n"
        "    briefing_report_to: 县委、县政府领导\n    copies: 40\n    report_title: 社会救助议定事项督办通报\n")
    reg = make_registry({**DOCS_FILES, "system.yaml": system})
    briefing = jz(reg, *DOCS["briefing"]).output
    assert "县民政局编　　2026年12月16日" in briefing
    assert "报：县委、县政府领导" in briefing and "（共印40份）" in briefing
    assert jz(reg, *DOCS["progress"]).output.startswith("# 社会救助议定事项督办通报\n")


def test_liaison_meeting_notice_invites_liaison_officers(jz, make_registry):
    liaison = """
        id: m-20261120-liaison-c3d4
        kind: liaison
        date: 2026-11-20
        time: "14:30"
        place: 县民政局二楼会议室
        chair: {role: office, name: null}
        agenda: [p-20261101-minzheng-0001]
        """
    reg = make_registry({**DOCS_FILES, "meetings/2026/m-20261120-liaison-c3d4.yaml": liaison})
    out = jz(reg, "meeting", "notice", "m-20261120-liaison-c3d4", "--date", "2026-11-16").output
    assert "# 关于召开测试县社会救助工作联席会议2026年联络员会议的通知" in out
    assert "定于2026年11月20日（星期五）下午2:30在县民政局二楼会议室召开" in out
    assert "各成员单位联络员。参会单位：县民政局、县财政局、县卫生和计划生育局。" in out


def test_briefing_reports_a_liaison_meeting_without_decisions_as_preparation(jz, make_registry):
    liaison = """
        id: m-20261120-liaison-c3d4
        kind: liaison
        date: 2026-11-20
        chair: {role: office, name: null}
        agenda: [p-20261101-minzheng-0001]
        """
    reg = make_registry({**DOCS_FILES, "meetings/2026/m-20261120-liaison-c3d4.yaml": liaison})
    out = jz(reg, *DOCS["briefing"]).output
    assert "议定事项0项" not in out
    assert "联络员会议，研究了关于提高2027年城乡低保标准等1项议题，形成初步意见提交联席会议研究。" in out


def test_refused_issue_writes_nothing(jz, reg, tmp_path):
    out = tmp_path / "b.md"
    out.write_text("旧简报", encoding="utf-8")
    before = tree_hash(reg)
    result = jz(reg, *DOCS["briefing"], "--issue", "-o", str(out))
    assert result.exit_code == 1
    assert tree_hash(reg) == before and out.read_text(encoding="utf-8") == "旧简报"


@pytest.mark.parametrize("args", [["--help"], ["minutes", "render", "--help"], ["report", "progress", "--help"]])
def test_help_imports_no_renderer(args):
    """`jiuzhu --help` (and a document command's help) loads neither Jinja nor python-docx."""
    import subprocess
    import sys

    heavy = "('jinja2', 'docx', 'markupsafe', 'jiuzhu.render', 'jiuzhu.docx_out')"
    code = ("import sys\nfrom jiuzhu.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {heavy} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    assert "用法" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
