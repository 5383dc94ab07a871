#!/usr/bin/env python3
"""Rebuilds data/nmt/kjv-rv1909.tsv.gz: verse-aligned English (King James Version) and Spanish (Reina-Valera 1909),
both public domain, read from Debian's SWORD modules with diatheke (apt-get install diatheke sword-text-kjv
sword-text-sparv). One line per verse present in both: reference <TAB> English <TAB> Spanish.

Quirks handled (see ../../../shared/data-sources.md): diatheke repeats KJV psalm titles as separate lines after later
verses, so KJV continuation lines are dropped (only lines that start with a reference count); Spanish continuation
lines are appended to their verse; Strong's tags like <G5547> and paragraph marks are removed; white space is folded."""
import gzip, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = "Genesis 1:1-Revelation of John 22:21"
REF = re.compile(r"^\s*((?:[1-3] )?[A-Z][A-Za-z ]*? \d+:\d+): ?(.*)$")

def dump(module):
    out = subprocess.run(["diatheke", "-b", module, "-f", "plain", "-k", KEY], check=True, capture_output=True, text=True).stdout
    verses, order, current = {}, [], None
    for line in out.splitlines():
        if line.strip() == f"({module})":
            continue
        m = REF.match(line)
        if m:
            current = m.group(1)
            verses[current] = m.group(2)
            order.append(current)
        elif current is not None and module.startswith("spa") and line.strip():
            verses[current] += " " + line.strip()
    return verses, order

def clean(text):
    text = re.sub(r"<[GH]\d+>", "", text)
    text = text.replace("\u00b6", "")
    return re.sub(r"\s+", " ", text).strip()

def main():
    en, order = dump("engKJV2006eb")
    es, _ = dump("spaRV1909eb")
    rows = [(r, clean(en[r]), clean(es[r])) for r in order if r in es and clean(en[r]) and clean(es[r])]
    path = os.path.join(HERE, "kjv-rv1909.tsv.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write("".join(f"{r}\t{a}\t{b}\n" for r, a, b in rows).encode("utf-8"))
    words_en = sum(len(a.split()) for _, a, _ in rows)
    words_es = sum(len(b.split()) for _, _, b in rows)
    print(f"wrote {path}: {len(rows)} verse pairs, {words_en} English and {words_es} Spanish words")

if __name__ == "__main__":
    sys.exit(main())
