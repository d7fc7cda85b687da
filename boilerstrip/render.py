"""Stage 6: render the kept blocks as text, Markdown, minimal HTML or JSON."""
from __future__ import annotations

import html as _html
import json
import re

from .segment import Blocks

HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_MD_SPECIAL_START = re.compile(r"^([#>*+\-=`|]|\d+[.)]\s)")


def _md_escape(text: str) -> str:
    """Escape what would turn a plain line into Markdown syntax."""
    text = text.replace("\\", "\\\\")
    if _MD_SPECIAL_START.match(text):
        text = "\\" + text
    return text.replace("|", "\\|") if "|" in text else text


def _kind(blocks: Blocks, i: int) -> str:
    tag = blocks.tag[i]
    if tag in HEADING_LEVEL:
        return "heading"
    if blocks.row_id[i] >= 0 and tag in ("td", "th"):
        return "cell"
    if tag in ("li", "dd", "dt") and blocks.list_id[i] >= 0:
        return "item"
    if tag == "blockquote" or blocks.tag_mask[i] & _BLOCKQUOTE_BIT:
        return "quote"
    if tag == "pre":
        return "pre"
    return "para"


from .segment import ANCESTOR_TAG_BIT  # noqa: E402

_BLOCKQUOTE_BIT = ANCESTOR_TAG_BIT["blockquote"]


def _groups(blocks: Blocks, order: list[int]):
    """Group consecutive kept blocks into (kind, [indices]) runs: list items of one
    list, cells of one table, everything else one by one."""
    groups: list[tuple[str, list[int]]] = []
    for i in order:
        kind = _kind(blocks, i)
        if groups:
            last_kind, last = groups[-1]
            j = last[-1]
            if kind == last_kind == "item" and blocks.list_id[j] == blocks.list_id[i]:
                last.append(i)
                continue
            if kind == last_kind == "cell" and blocks.table_id[j] == blocks.table_id[i]:
                last.append(i)
                continue
            if kind == last_kind == "quote":
                last.append(i)
                continue
        groups.append((kind, [i]))
    return groups


def to_text(blocks: Blocks, keep: list[int]) -> str:
    return "\n".join(blocks.text[i] for i in keep)


def body_text(blocks: Blocks, kept, headline: int | None) -> str:
    """What ``clean(output="text")`` returns for keep decisions ``kept`` (one
    truthy/falsy value per block): the kept blocks but the headline, one per line."""
    return to_text(blocks, [i for i, k in enumerate(kept) if k and i != headline])


def _table_rows(blocks: Blocks, idx: list[int]) -> list[list[int]]:
    rows: list[list[int]] = []
    for i in idx:
        if rows and blocks.row_id[rows[-1][-1]] == blocks.row_id[i]:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def to_markdown(blocks: Blocks, keep: list[int], title: str | None) -> str:
    parts: list[str] = []
    if title:
        parts.append("# " + _md_escape(title))
    for kind, idx in _groups(blocks, keep):
        if kind == "heading":
            level = max(2, HEADING_LEVEL[blocks.tag[idx[0]]])
            parts.append("#" * level + " " + _md_escape(blocks.text[idx[0]]))
        elif kind == "item":
            ordered = blocks.element_tag[blocks.list_id[idx[0]]] == "ol"
            parts.append("\n".join(
                (f"{k}. " if ordered else "- ") + _md_escape(blocks.text[i])
                for k, i in enumerate(idx, 1)))
        elif kind == "cell":
            rows = _table_rows(blocks, idx)
            width = max(len(r) for r in rows)
            lines = []
            for r_i, row in enumerate(rows):
                cells = [_md_escape(blocks.text[i]) for i in row] + [""] * (width - len(row))
                lines.append("| " + " | ".join(cells) + " |")
                if r_i == 0:
                    lines.append("|" + "---|" * width)
            parts.append("\n".join(lines))
        elif kind == "quote":
            parts.append("\n>\n".join("> " + _md_escape(blocks.text[i]) for i in idx))
        elif kind == "pre":
            parts.append("```\n" + blocks.text[idx[0]].replace("```", "` ` `") + "\n```")
        else:
            parts.append(_md_escape(blocks.text[idx[0]]))
    return "\n\n".join(parts)


def to_html(blocks: Blocks, keep: list[int], title: str | None) -> str:
    esc = _html.escape
    parts = ["<article>"]
    if title:
        parts.append(f"<h1>{esc(title)}</h1>")
    for kind, idx in _groups(blocks, keep):
        if kind == "heading":
            level = max(2, HEADING_LEVEL[blocks.tag[idx[0]]])
            parts.append(f"<h{level}>{esc(blocks.text[idx[0]])}</h{level}>")
        elif kind == "item":
            lt = "ol" if blocks.element_tag[blocks.list_id[idx[0]]] == "ol" else "ul"
            items = "".join(f"<li>{esc(blocks.text[i])}</li>" for i in idx)
            parts.append(f"<{lt}>{items}</{lt}>")
        elif kind == "cell":
            rows = "".join("<tr>" + "".join(f"<td>{esc(blocks.text[i])}</td>" for i in row)
                           + "</tr>" for row in _table_rows(blocks, idx))
            parts.append(f"<table>{rows}</table>")
        elif kind == "quote":
            inner = "".join(f"<p>{esc(blocks.text[i])}</p>" for i in idx)
            parts.append(f"<blockquote>{inner}</blockquote>")
        elif kind == "pre":
            parts.append(f"<pre>{esc(blocks.text[idx[0]])}</pre>")
        else:
            parts.append(f"<p>{esc(blocks.text[idx[0]])}</p>")
    parts.append("</article>")
    return "\n".join(parts)


def to_json(blocks: Blocks, scores, kept_mask, title: str | None, url: str | None,
            threshold: float, headline: int | None, confidence: float = 0.0) -> str:
    out = {
        "title": title,
        "url": url,
        "threshold": threshold,
        "confidence": round(float(confidence), 4),
        "blocks": [
            {"index": i, "text": blocks.text[i], "tag": blocks.tag[i],
             "score": round(float(scores[i]), 4), "kept": bool(kept_mask[i]),
             "headline": i == headline}
            for i in range(len(blocks))
        ],
    }
    return json.dumps(out, ensure_ascii=False)
