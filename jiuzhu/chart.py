"""A horizontal bar chart as PNG bytes (matplotlib, imported only here): the scores of the annual
evaluation report, one bar a unit, labelled in Chinese with a CJK font found on the machine."""

from __future__ import annotations

import io
from collections.abc import Sequence

from jiuzhu.errors import InputRefused

# Fonts that carry Simplified Chinese, in order of preference (the first one installed is used).
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Microsoft YaHei")


def cjk_font() -> str:
    """The family name of an installed CJK font, refused when there is none (labels would print as
    empty boxes: a wrong chart, not a chart)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise InputRefused("没有找到中文字体，图表中的单位名称无法显示",
                       "安装中文字体，例如 sudo apt-get install fonts-noto-cjk（scripts/setup-ci-tools.sh 会安装）。")


def bars(labels: Sequence[str], values: Sequence[float], title: str, limit: float = 100.0) -> bytes:
    """PNG of one horizontal bar a label (first label on top), each bar marked with its value."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = cjk_font()
    height = max(2.5, 0.32 * len(labels) + 1.2)
    fig, ax = plt.subplots(figsize=(6.2, height), dpi=150)
    try:
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color="#3c6e9f", height=0.6)
        ax.set_yticks(positions, labels=list(labels), fontfamily=font, fontsize=8)
        ax.set_xlim(0, limit)
        ax.set_title(title, fontfamily=font, fontsize=10)
        ax.set_xlabel("得分", fontfamily=font, fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        for y, v in zip(positions, values, strict=True):
            ax.text(min(v + 1, limit - 6), y, f"{v:g}", va="center", fontsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})  # no version: the same bytes each run
        return out.getvalue()
    finally:
        plt.close(fig)
