"""Peer baseline: people found by underthesea's bundled CRF NER.

We compare our extractor against a "peer": ``underthesea.ner`` in its default
(``deep=False``) mode, which runs a CRF model shipped *inside* the wheel
(``underthesea/pipeline/ner/ner_crf_2017_10_12.bin``, on top of the bundled
word-segmentation, POS and chunking CRFs). Nothing is downloaded at run time;
``deep=True`` (a transformers model from a hub) is never used here.

Tested with ``underthesea==9.5.0`` (Python 3.11). underthesea is *not* a
dependency of the project: install it in a separate environment, e.g.::

    python3 -m venv /tmp/peer-venv && /tmp/peer-venv/bin/pip install underthesea==9.5.0

Usage (from the project root)::

    python -m evaluation.peer_underthesea --dev ../shared/eval/dev --gold ../shared/eval/gold/dev.json
    python -m evaluation.peer_underthesea --dev DIR --gold FILE --json
    python -m evaluation.peer_underthesea --dev DIR --gold FILE --throughput-dir CORPUS_DIR --throughput-n 100

Output::

    peer people P=0.xxx R=0.xxx F1=0.xxx (tp=.. pred=.. gold=..)
    peer throughput N.N articles/s

If the dev dir or the gold file does not exist it prints ``skipped: <path> not found``
and exits 0. The people score mirrors ``shared/eval/score.py`` (see ``norm``/``prf``).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

from evaluation.score import norm, prf

UNDERTHESEA_REQUIREMENT = "underthesea==9.5.0"

# --------------------------------------------------------------------------- scoring
# norm() and prf() are the official scorer's, from its vendored copy (evaluation/score.py,
# kept byte-identical to ../shared/eval/score.py by a test).


# --------------------------------------------------------------------------- extraction

# Fallback splitter, used only if underthesea.sent_tokenize is unavailable:
# break after . ! ? when followed by whitespace and an upper-case letter.
_SENT_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_a-zà-ỹđ])")


def _split_regex(paragraph: str) -> list[str]:
    return [s for s in _SENT_BOUNDARY.split(paragraph) if s.strip()]


def split_sentences(text: str) -> list[str]:
    """Split an article into sentences: first on newlines (titles and paragraphs
    often have no final punctuation), then with underthesea's offline Punkt-style
    ``sent_tokenize`` (regex fallback if it cannot be imported)."""
    try:
        from underthesea import sent_tokenize
    except ImportError:  # pragma: no cover - depends on the environment
        sent_tokenize = _split_regex
    out: list[str] = []
    for para in text.splitlines():
        para = para.strip()
        if para:
            out.extend(s.strip() for s in sent_tokenize(para) if s.strip())
    return out


def per_spans(tokens: Iterable[tuple]) -> list[str]:
    """Join BIO PERSON spans of ``underthesea.ner`` output into names.

    Each token is ``(word, pos, chunk, ner)``; ``word`` may hold several
    syllables joined by spaces (older versions used ``_``). A stray ``I-PER``
    with no open span starts a new one.
    """
    names: list[str] = []
    cur: list[str] = []
    for tok in tokens:
        word, tag = tok[0], tok[-1]
        if tag == "B-PER" or (tag == "I-PER" and not cur):
            if cur:
                names.append(" ".join(cur))
            cur = [word]
        elif tag == "I-PER":
            cur.append(word)
        else:
            if cur:
                names.append(" ".join(cur))
            cur = []
    if cur:
        names.append(" ".join(cur))
    return names


def peer_people(text: str) -> set[str]:
    """Distinct PERSON names (NFC) that underthesea's CRF NER finds in ``text``."""
    from underthesea import ner  # lazy: scoring helpers must work without underthesea

    people: set[str] = set()
    for sentence in split_sentences(text):
        for name in per_spans(ner(sentence)):
            name = unicodedata.normalize("NFC", re.sub(r"\s+", " ", name.replace("_", " "))).strip()
            if name:
                people.add(name)
    return people


# --------------------------------------------------------------------------- evaluation


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def score_people(dev_dir: Path, gold_path: Path,
                 extract: Callable[[str], Iterable[str]] = peer_people) -> dict:
    """People P/R/F1 of ``extract`` on the gold articles, as the official scorer counts.

    Per gold article ``fn``: predicted = {norm(n) for n in extract(text of dev_dir/fn)},
    gold = {norm(p["name"]) for p in gold["articles"][fn]["people"]}; tp, pred and
    gold counts are summed over articles. A gold article missing from ``dev_dir``
    counts with an empty prediction (as a missing article does in the official scorer).
    Returns ``prf(...)`` plus ``articles`` and ``missing_articles``.
    """
    dev_dir, gold_path = Path(dev_dir), Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    tp = npred = ngold = 0
    missing: list[str] = []
    for fn, g in gold["articles"].items():
        path = dev_dir / fn
        if path.is_file():
            pred = {norm(n) for n in extract(_read(path))}
        else:
            missing.append(fn)
            pred = set()
        gp = {norm(p["name"]) for p in g["people"]}
        tp += len(pred & gp)
        npred += len(pred)
        ngold += len(gp)
    return prf(tp, npred, ngold) | {"articles": len(gold["articles"]), "missing_articles": missing}


def throughput(texts: list[str], extract: Callable[[str], object] = peer_people) -> float:
    """Articles per second of ``extract`` over ``texts`` (one warm-up call first,
    which loads the CRF models; wall time with ``time.perf_counter``)."""
    if not texts:
        return 0.0
    extract(texts[0])  # warm-up: model loading is not counted
    t0 = time.perf_counter()
    for t in texts:
        extract(t)
    dt = time.perf_counter() - t0
    return len(texts) / dt if dt > 0 else float("inf")


def _texts_in(directory: Path, n: int | None = None) -> list[str]:
    files = sorted(p for p in Path(directory).glob("*.txt") if p.is_file())
    return [_read(p) for p in (files[:n] if n else files)]


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", required=True, type=Path, help="folder of dev articles (*.txt)")
    ap.add_argument("--gold", required=True, type=Path, help="gold JSON (gold['articles'][file]['people'])")
    ap.add_argument("--json", action="store_true", help="print the result dict as JSON")
    ap.add_argument("--throughput-dir", type=Path, default=None,
                    help="measure throughput on *.txt of this folder (default: the dev articles)")
    ap.add_argument("--throughput-n", type=int, default=100,
                    help="with --throughput-dir: first N files sorted by name (default 100)")
    a = ap.parse_args(argv)

    for path in (a.dev, a.gold) + ((a.throughput_dir,) if a.throughput_dir else ()):
        if not path.exists():
            print(f"skipped: {path} not found")
            return 0
    try:
        import underthesea
    except ImportError:
        print(f"error: underthesea is not installed (pip install '{UNDERTHESEA_REQUIREMENT}')", file=sys.stderr)
        return 2

    people = score_people(a.dev, a.gold)
    if a.throughput_dir:
        texts = _texts_in(a.throughput_dir, a.throughput_n)
        src = str(a.throughput_dir)
    else:
        texts = _texts_in(a.dev)
        src = str(a.dev)
    aps = throughput(texts)
    res = {"peer": f"underthesea {underthesea.__version__} ner (CRF)", "people": people,
           "throughput_articles_per_s": round(aps, 2), "throughput_articles": len(texts),
           "throughput_source": src}
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        p = people
        print(f"peer people P={p['p']:.3f} R={p['r']:.3f} F1={p['f1']:.3f} (tp={p['tp']} pred={p['pred']} gold={p['gold']})")
        print(f"peer throughput {aps:.2f} articles/s ({len(texts)} articles from {src})")
        if p["missing_articles"]:
            print("missing articles:", ", ".join(p["missing_articles"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
