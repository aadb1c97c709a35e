#!/usr/bin/env python3
"""Writes the reading corpus into tests/fixtures/agreements/corpus/: agreements (txt, DOCX, PDF)
and messages (txt), and expected.json. Standard library only, plus LibreOffice (`soffice`) for
HTML -> DOCX/PDF and poppler's `pdftotext` for the self-check. See README.md beside this file.

    python3 tests/corpus/generate.py            regenerate everything and check it
    python3 tests/corpus/generate.py --check    only check the committed files against
                                                expected.json

Deterministic: a fixed seed, fixed metadata in the DOCX and PDF files (normalise.py of the
agreement fixtures). LibreOffice versions may still lay out PDFs differently.
"""

import collections
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE))

import agreements  # noqa: E402
import docs  # noqa: E402
import messages  # noqa: E402

ROOT = HERE.parent.parent
OUT = ROOT / "tests" / "fixtures" / "agreements" / "corpus"
SEED = 20261102

spec = importlib.util.spec_from_file_location(
    "normalise", ROOT / "tests" / "fixtures" / "agreements" / "src" / "normalise.py")
normalise = importlib.util.module_from_spec(spec)
spec.loader.exec_module(normalise)

ORDER = ["signer", "fee", "negation", "party", "contact", "clean"]


def build():
    rng = random.Random(SEED)
    items = agreements.all_items(agreements.Gen(rng)) + messages.all_items(rng)
    items.sort(key=lambda i: (ORDER.index(i["category"]), i["kind"] != "agreement"))
    counters = collections.Counter()
    for it in items:
        counters[it["category"]] += 1
        kind = "msg" if it["kind"] == "message" else "doc"
        it["file"] = f"{it['category']}_{counters[it['category']]:03d}_{kind}_{it['slug']}.{it['format']}"
    return items


def folded(text):
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-\u2010-\u2015\u2212]", "", text)


def text_of(path):
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        xml = re.sub(r"<w:(br|p|tab)\b[^>]*/?>", "\n", xml)
        return re.sub(r"<[^>]+>", "", xml).replace("&quot;", '"').replace("&amp;", "&")
    return path.read_text(encoding="utf-8")


def write(items):
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        to_convert = collections.defaultdict(list)
        for it in items:
            target = OUT / it["file"]
            if it["kind"] == "message":
                target.write_text(it["text"], encoding="utf-8")
            elif it["format"] == "txt":
                target.write_bytes(docs.to_text(it["blocks"]).encode("utf-8"))
            else:
                src = work / "html" / (Path(it["file"]).stem + ".html")
                src.parent.mkdir(exist_ok=True)
                src.write_text(docs.to_html(it["blocks"], it["language"]), encoding="utf-8")
                to_convert[it["format"]].append(src)
        for fmt, sources in to_convert.items():
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                 "--infilter=HTML (StarWriter)", "--convert-to", fmt, "--outdir",
                 str(work / fmt)] + [str(s) for s in sources],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for s in sources:
                produced = work / fmt / (s.stem + "." + fmt)
                getattr(normalise, fmt)(str(produced), str(OUT / (s.stem + "." + fmt)))
    entries = [{k: it[k] for k in ("file", "kind", "language", "format", "category",
                                   "expected_outcome", "expected_findings", "note")}
               for it in items]
    (OUT / "expected.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")


def check():
    entries = json.loads((OUT / "expected.json").read_text(encoding="utf-8"))
    problems = []
    on_disk = {p.name for p in OUT.iterdir()} - {"expected.json"}
    listed = {e["file"] for e in entries}
    if on_disk != listed:
        problems.append(f"files not listed: {sorted(on_disk - listed)}, "
                        f"listed but missing: {sorted(listed - on_disk)}")
    for e in entries:
        path = OUT / e["file"]
        if not path.exists():
            continue
        if path.stat().st_size > 200_000:
            problems.append(f"{e['file']}: over 200 KB")
        text = folded(text_of(path))
        if not text:
            problems.append(f"{e['file']}: no text")
        for f in e["expected_findings"]:
            if f["contains"] and folded(f["contains"]) not in text:
                problems.append(f"{e['file']}: {f['contains']!r} is not in the text")
        if e["kind"] == "message" and e["expected_outcome"] == "verified":
            problems.append(f"{e['file']}: a message is never verified")
    count = collections.Counter
    print(f"{len(entries)} items")
    for key in ("category", "kind", "format", "language"):
        print(f"  by {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(count(e[key] for e in entries).items())))
    print("  by category and outcome: " + ", ".join(
        f"{c}/{o} {n}" for (c, o), n in sorted(count((e["category"], e["expected_outcome"]) for e in entries).items())))
    for p in problems:
        print("PROBLEM:", p)
    return not problems


if __name__ == "__main__":
    if "--check" not in sys.argv:
        write(build())
    sys.exit(0 if check() else 1)
