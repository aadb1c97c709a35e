"""A small document model for the corpus's agreements, rendered as plain text or as the HTML that
LibreOffice turns into DOCX and PDF.

A document is a list of blocks:

    ("title", text)              a centred heading
    ("p", text)                  a paragraph; "\n" inside is a line break in the same paragraph
    ("sig", left, right)         two signature blocks side by side (a two-cell table), each a
                                 list of lines; in text, two columns padded with spaces
    ("cols", [text, ...])        paragraphs set in two newspaper columns (PDF and DOCX), so that
                                 a paragraph can run from the foot of the left column to the top
                                 of the right one; plain paragraphs in text
    ("break",)                   a page break (a form feed in text)
"""

import html
import unicodedata


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, to):
    return text + " " * max(2, to - width(text))


def to_text(blocks, crlf=False):
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out.append(block[1])
        elif kind == "p":
            out.append(block[1])
        elif kind == "cols":
            out.extend(block[1])
        elif kind == "sig":
            left, right = block[1], block[2]
            col = max(width(line) for line in left) + 6
            rows = []
            for i in range(max(len(left), len(right))):
                a = left[i] if i < len(left) else ""
                b = right[i] if i < len(right) else ""
                rows.append((pad(a, col) + b).rstrip() if b else a)
            out.append("\n".join(rows))
        elif kind == "break":
            out.append("\f")
        else:
            raise ValueError(kind)
    text = "\n\n".join(out).replace("\n\n\f\n\n", "\n\f\n") + "\n"
    return text.replace("\n", "\r\n") if crlf else text


STYLE = """@page { size: 21cm 29.7cm; margin: 2.2cm 2.4cm }
body { font-family: "Noto Serif CJK SC"; font-size: 10.5pt }
h1 { font-family: "Noto Sans CJK SC"; font-size: 15pt; text-align: center }
td { vertical-align: top }"""


def lines_html(text):
    return "<br>\n".join(html.escape(line) for line in text.split("\n"))


def to_html(blocks, lang):
    title = next((b[1] for b in blocks if b[0] == "title"), "Agreement")
    body = []
    page_break = False
    for block in blocks:
        kind = block[0]
        style = ' style="page-break-before: always"' if page_break else ""
        page_break = False
        if kind == "title":
            body.append(f"<h1{style}>{html.escape(block[1])}</h1>")
        elif kind == "p":
            body.append(f"<p{style}>{lines_html(block[1])}</p>")
        elif kind == "cols":
            paras = "\n".join(f"<p>{lines_html(t)}</p>" for t in block[1])
            if style:
                body.append(f'<p{style}></p>')
            body.append(f'<multicol cols="2" gutter="24">\n{paras}\n</multicol>')
        elif kind == "sig":
            cells = "".join(
                f'<td width="50%">{"<br>".join(html.escape(x) for x in side)}</td>'
                for side in (block[1], block[2])
            )
            body.append(f'<table width="100%" cellpadding="6"{style}><tr>{cells}</tr></table>')
        elif kind == "break":
            page_break = True
        else:
            raise ValueError(kind)
    return (
        f'<!DOCTYPE html>\n<html lang="{ "zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n'
        f"</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
