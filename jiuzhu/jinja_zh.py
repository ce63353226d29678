"""Jinja's error messages in Chinese: a template mistake is reported to the office in its language."""

from __future__ import annotations

import re

# Jinja's names for tokens (jinja2.lexer.describe_token) and its usual messages, in Chinese.
_TOKENS_ZH = {
    "end of statement block": "语句结束符 %}", "begin of statement block": "语句开始符 {%",
    "end of print statement": "输出结束符 }}", "begin of print statement": "输出开始符 {{",
    "end of template": "模板末尾", "name": "名称", "integer": "整数", "float": "小数", "string": "字符串",
    "operator": "运算符",
}
_MESSAGES_ZH: tuple[tuple[str, str], ...] = (
    (r"Expected an expression, got '(?P<a>.+)'", "此处应有表达式，却遇到了{a}"),
    (r"expected token '(?P<a>.+)', got '(?P<b>.+)'", "此处应为{a}，却遇到了{b}"),
    (r"unexpected end of template, expected '(?P<a>.+)'\.?", "模板意外结束，缺少{a}"),
    (r"unexpected '(?P<a>.+)', expected '(?P<b>.+)'", "多余的{a}，此处应为{b}"),
    (r"unexpected '(?P<a>.+)'", "多余的{a}"),
    (r"unexpected char (?P<q>['\"])(?P<a>.+)(?P=q) at \d+", "无法识别的字符{a}"),
    (r"No filter named '(?P<a>[^']+)'( found)?\.?", "没有名为“{a}”的过滤器"),
    (r"No test named '(?P<a>[^']+)'( found)?\.?", "没有名为“{a}”的判断（is 后面的名称）"),
    (r"Encountered unknown tag '(?P<a>[^']+)'\.(?P<rest>.*)", "遇到未知的标签“{a}”{rest}"),
    (r"Unexpected end of template\.(?P<rest>.*)", "模板意外结束{rest}"),
    (r"tag name expected", "{{% 后面缺少标签名"),
    (r"expected name or number", "点号后面应为名称或数字"),
    (r"Missing end of raw directive", "raw 块缺少 endraw"),
    (r"[Bb]lock '(?P<a>[^']+)' defined twice", "块“{a}”定义了两次"),
)
_LOOKING_FOR = re.compile(r"\s*(You probably made a nesting mistake\. )?Jinja (was|is) (looking for|expecting) "
                          r"(the following tags|this tag)?:? ?(?P<tags>[^.]*)\.(?: The innermost block that needs to "
                          r"be closed is '(?P<inner>[^']+)'\.)?")


def _token_zh(text: str) -> str:
    return f"“{_TOKENS_ZH.get(text, text)}”"


def jinja_message_zh(message: str) -> str:
    """A Jinja error message in Chinese (the common ones; others are kept, marked as Jinja's)."""
    message = message.strip()
    for pattern, chinese in _MESSAGES_ZH:
        found = re.fullmatch(pattern, message, flags=re.S)
        if not found:
            continue
        parts = {k: v for k, v in found.groupdict().items() if v is not None}
        rest = parts.pop("rest", "").strip()
        parts.pop("q", None)
        for key in ("a", "b"):
            if key in parts and "“{" + key not in chinese:  # a token, not a name already quoted
                parts[key] = _token_zh(parts[key])
        return chinese.format(rest=_looking_for_zh(rest), **parts)
    return f"{message}（Jinja 原文）"


def _looking_for_zh(rest: str) -> str:
    """"Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block …" ->
    "；此处应为 endfor 或 else（最内层未结束的是 for 块）"."""
    found = _LOOKING_FOR.fullmatch(rest) if rest else None
    if not found:
        return ""
    tags = " 或 ".join(re.findall(r"'([^']+)'", found.group("tags")))
    text = f"；此处应为 {tags}" if tags else ""
    if found.group("inner"):
        text += f"（最内层未结束的是 {found.group('inner')} 块）"
    return text
