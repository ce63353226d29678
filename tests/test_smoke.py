from __future__ import annotations


def test_mini_registry_is_clean(make_registry, jz):
    root = make_registry()
    res = jz(root, "validate", "--strict")
    assert res.exit_code == 0, res.output
    assert "登记册检查通过" in res.output


def test_unknown_key_points_at_line(make_registry, jz):
    root = make_registry({"areas.yaml": "areas:\n  - id: dibao\n    nam: 城乡低保\n    kind: assistance\n"})
    res = jz(root, "validate")
    assert res.exit_code == 1
    assert f"{root}/areas.yaml:3:5: unknown-key 错误：未知的键“nam”" in res.output
    assert "你是不是想写“name”？" in res.output
