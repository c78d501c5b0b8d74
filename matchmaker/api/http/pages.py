"""The few HTML pages the API serves itself: the unsubscribe confirmation and its result."""

from __future__ import annotations

from flask import Response, render_template_string

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - 产学研对接平台</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.6}
button{font-size:1rem;padding:.5rem 1.5rem}</style></head>
<body>
<h1>{{ title }}</h1>
<p>{{ text }}</p>
{% if token %}<form method="post" action="{{ action }}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">确认退订</button></form>
<p>如果不想退订，关闭本页即可，什么都不会改变。</p>{% endif %}
</body></html>
"""


def page(title: str, text: str, *, status: int = 200, token: str | None = None, action: str = "") -> Response:
    """A small Chinese HTML page; with a token, a button that POSTs the unsubscribe."""
    html = render_template_string(_PAGE, title=title, text=text, token=token, action=action)
    return Response(html, status=status, mimetype="text/html")


def unsubscribe_confirm(label: str, token: str, action: str) -> Response:
    """GET of an unsubscribe link: say what would stop, change nothing (mail scanners follow links)."""
    text = f"点击下方按钮后，将不再通过邮件向您发送“{label}”。可随时在通知设置中重新开启。"
    return page("退订邮件通知", text, token=token, action=action)


def unsubscribe_done(message: str) -> Response:
    """The result of a confirmed unsubscribe, for a person in a browser."""
    return page("已退订", message)
