"""Markdown written by HR admins, rendered to HTML and sanitized (no scripts, no event handlers)."""

from __future__ import annotations

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, url_schemes={"http", "https", "mailto"})
    # Safe: nh3 has just removed every tag, attribute and URL scheme not allowed above.
    return mark_safe(clean)  # noqa: S308  # nosec B308, B703
