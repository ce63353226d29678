"""validate's report: errors before warnings, repeated warnings folded into one line naming all
their units, --verbose for each; machine formats keep every problem."""

from __future__ import annotations

import json

from conftest import mini_unit

from jiuzhu.problems import Group, Pos, error, grouped, warning


def _no_liaison(uid: str, name: str, order: int) -> str:
    return mini_unit(uid, name, order, f"""
        - id: {uid}-1
          text: 配合做好社会救助工作。
          areas: [dibao]
          role: support
        """).replace("liaison: {name: 赵六, phone: 0316-1234567, post: 科长}\n", "")


def _registry(make_registry):
    return make_registry({
        "units/jiaoyu.yaml": _no_liaison("jiaoyu", "县教育局", 3),
        "units/renshe.yaml": _no_liaison("renshe", "县人社局", 4),
        "units/sifa.yaml": _no_liaison("sifa", "县司法局", 5),
        # an error in the file that sorts last
        "units/zhufang.yaml": mini_unit("zhufang", "县住建局", 6, """
            - id: zhufang-1
              text: 负责住房救助。
              areas: [nosuch]
              role: lead
            """),
    })


def test_errors_come_first_and_repeated_warnings_are_one_line(make_registry, jz):
    root = _registry(make_registry)
    res = jz(root, "validate", "--as-of", "2026-12-31")
    assert res.exit_code == 1
    lines = res.output.splitlines()
    first_error = next(i for i, s in enumerate(lines) if " 错误：" in s)
    first_warning = next(i for i, s in enumerate(lines) if " 警告：" in s)
    assert first_error < first_warning
    assert "units/zhufang.yaml" in lines[first_error]
    liaison = [s for s in lines if "unknown-liaison" in s]
    assert len(liaison) == 1
    assert liaison[0].endswith("units/jiaoyu.yaml:1:1 等 3 处: unknown-liaison 警告："
                               "县教育局、县人社局、县司法局的联络员姓名或电话未填写")
    hint = lines[lines.index(liaison[0]) + 1]
    assert hint == "    提示：在 liaison 下填写 name 和 phone（联络员的工作电话可以保存）。"
    assert "unresolved-ref 错误：" in lines[first_error]
    assert res.output.endswith("个警告。相同的警告已合并为一行，加 --verbose 逐条列出。\n")
    assert "共 1 个错误，" in res.output


def test_verbose_lists_each_warning_at_its_place(make_registry, jz):
    root = _registry(make_registry)
    res = jz(root, "validate", "--as-of", "2026-12-31", "--verbose")
    liaison = [s for s in res.output.splitlines() if "unknown-liaison" in s]
    assert [s.split(": ")[0].rsplit("/", 1)[-1] for s in liaison] == ["jiaoyu.yaml:1:1", "renshe.yaml:1:1",
                                                                       "sifa.yaml:1:1"]
    assert "县人社局的联络员姓名或电话未填写" in liaison[1]
    assert "合并" not in res.output


def test_json_keeps_every_problem(make_registry, jz):
    root = _registry(make_registry)
    out = json.loads(jz(root, "validate", "--as-of", "2026-12-31", "--format", "json").stdout)
    assert len(out["errors"]) == 1
    assert sorted(w["message"] for w in out["warnings"] if w["code"] == "unknown-liaison") == [
        "县人社局的联络员姓名或电话未填写", "县司法局的联络员姓名或电话未填写", "县教育局的联络员姓名或电话未填写"]


def test_a_single_warning_is_not_folded():
    p = warning(Pos("units/a.yaml", 3), "unknown-liaison", "县甲局的联络员姓名或电话未填写", "hint", "县甲局")
    assert grouped([p]) == [p]


def test_warnings_differing_in_more_than_their_subject_stay_apart():
    a = warning(Pos("a.yaml"), "x", "县甲局的联络员未填写", "h", "县甲局")
    b = warning(Pos("b.yaml"), "x", "县乙局的审阅人未填写", "h", "县乙局")
    c = warning(Pos("c.yaml"), "x", "县丙局的联络员未填写", "另一个提示", "县丙局")
    assert grouped([a, b, c]) == [a, b, c]


def test_identical_warnings_without_subject_fold_and_errors_never_do():
    w1, w2 = (warning(Pos(f"m{i}.yaml"), "no-liaison-meeting", "联席会议召开前没有召开联络员会议", "h") for i in (1, 2))
    e1, e2 = (error(Pos(f"e{i}.yaml"), "bad", "同样的错误") for i in (1, 2))
    out = grouped([w2, e2, w1, e1])
    assert out[:2] == [e1, e2]
    assert isinstance(out[2], Group) and out[2].problems == (w1, w2)
    assert out[2].message == "联席会议召开前没有召开联络员会议"
