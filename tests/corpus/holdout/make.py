"""Writes the second reading corpus (tests/fixtures/agreements/holdout/): 60 agreements and
messages written by a reviewer who had not seen the rules, after the first corpus. See
tests/corpus/README.md."""
import json, os, sys, unicodedata, re
sys.path.insert(0, os.path.dirname(__file__))
import agreements, messages
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "agreements", "holdout")
exp = []
for it in agreements.ITEMS + messages.ITEMS:
    fn = it["name"] + ".txt"
    with open(os.path.join(out, fn), "w", encoding="utf-8") as f:
        f.write(it["text"])
    fold = lambda s: re.sub(r"[\s\-\u2010-\u2015]", "", unicodedata.normalize("NFKC", s).casefold())
    for fd in it["findings"]:
        assert fold(fd["contains"]) in fold(it["text"]), (fn, fd)
    exp.append(dict(file=fn, kind=it["kind"], language=it["language"], format="txt", category=it["category"],
                    expected_outcome=it["outcome"], expected_findings=it["findings"], note=it["note"]))
json.dump(exp, open(os.path.join(out, "expected.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)
from collections import Counter
print(len(exp), Counter((e["kind"], e["category"]) for e in exp))
