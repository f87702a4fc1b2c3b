"""A deterministic scale corpus, derived from the real one.

    python -m bench.corpus --n 50000 --out /tmp/corpus-50k [--corpus DIR] [--seed 2017]

Articles are generated in *event clusters*: one source article gives the title and the lead
(its first paragraphs), and every member of the cluster is that same event as another outlet
reports it: same title and lead, a different tail recombined from paragraphs of the source
and of other articles. Inside a cluster person names, places (provinces) and dates are
substituted consistently (one mapping per cluster), so the same people, events and repeated
statements recur across articles as they do in real news; replacement names are drawn from
a pool harvested from the corpus itself (a surname from ``pipelines/lexicons/surnames.txt``
followed by one to three capitalized syllables), with Zipf-like weights, so a few people
appear very often and most rarely. Provinces come from ``pipelines/lexicons/provinces.txt``,
dates (``d/m`` and ``d/m/yyyy``) are shifted by a per-cluster number of days.

Properties (tested in tests/unit/test_bench_corpus.py): the same seed gives the same files;
the first ``n`` files of a larger run are the files of a run of ``n`` (so a 50k inbox is a
prefix of the 100k one); every file's first line is a source title (substituted); no two
files have the same text, even after whitespace normalization.
When the corpus directory is absent, the repository's ``seeds/`` are the source.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "baomoi-2017"
SEEDS = REPO / "seeds"
LEXICONS = REPO / "pipelines" / "lexicons"
DEFAULT_SEED = 2017
YEAR = 2017

_WORD = re.compile(r"[^\W\d_]+")
_DATE = re.compile(r"(?<![\d/.,])(\d{1,2})/(\d{1,2})(?:/((?:19|20)\d\d))?(?![\d/]|,\d)")
_HONORIFIC = re.compile(r"\b(ông|bà|Ông|Bà) ([^\W\d_]+)")


def _title_case(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def load_surnames(path: Path = LEXICONS / "surnames.txt") -> frozenset[str]:
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.update(v.strip() for v in line.split("|") if v.strip() and " " not in v.strip())
    return frozenset(out)


def load_provinces(path: Path = LEXICONS / "provinces.txt") -> list[str]:
    """Canonical names of the provinces (type ``province``), as written in the lexicon."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        names, kind = line.rsplit("\t", 1)
        canonical = names.split("|", 1)[0].strip()
        if kind.strip() == "province" and canonical and canonical[0].isalpha():
            out.append(canonical)
    return out


_CUES = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "thầy", "chí", "hlv", "thủ", "sĩ", "nhân",
         "viên", "giả", "sư", "sinh"}


def load_cues() -> frozenset[str]:
    """Words that precede a person's name: honorifics and the last word of every title and rank."""
    cues = set(_CUES)
    for name in ("titles.txt", "ranks.txt"):
        for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].split("\t", 1)[0]
            cues.update(v.split()[-1].lower() for v in line.split("|") if v.strip())
    return frozenset(cues)


def load_places() -> frozenset[str]:
    """Every written form of a province, city or country: never a person's name."""
    out: set[str] = set()
    for name in ("provinces.txt", "countries.txt"):
        for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                out.update(v.strip() for v in line.split("\t", 1)[0].split("|") if v.strip())
    return frozenset(out)


def find_names(text: str, surnames: frozenset[str]) -> list[tuple[int, int, str]]:
    """Spans of personal names: a surname, then 1-3 capitalized syllables, single spaces."""
    words = list(_WORD.finditer(text))
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.group() in surnames:
            j = i
            while (j + 1 < len(words) and j - i < 3 and text[words[j].end():words[j + 1].start()] == " "
                   and _title_case(words[j + 1].group())):
                j += 1
            if j > i:
                out.append((w.start(), words[j].end(), text[w.start():words[j].end()]))
                i = j + 1
                continue
        i += 1
    return out


# A paragraph is parsed once into a template: literal strings and slots to fill per cluster.
# Slots: ("name", old), ("given", old_syllable), ("prov", old), ("date", day, month, year|None).
Segment = str | tuple


@dataclass
class Source:
    title: list[Segment]
    paragraphs: list[list[Segment]]


class _Parser:
    def __init__(self, surnames: frozenset[str], provinces: list[str], people: frozenset[str]):
        self.surnames, self.people = surnames, people
        self.given = frozenset(n.rsplit(" ", 1)[-1] for n in people)
        alternation = "|".join(re.escape(p) for p in sorted(provinces, key=len, reverse=True))
        self.prov_re = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")

    def spans(self, text: str) -> list[tuple[int, int, tuple]]:
        found = [(s, e, ("name", n)) for s, e, n in find_names(text, self.surnames) if n in self.people]
        found += [(m.start(), m.end(), ("prov", m.group())) for m in self.prov_re.finditer(text)]
        for m in _DATE.finditer(text):
            day, month = int(m.group(1)), int(m.group(2))
            if 1 <= day <= 31 and 1 <= month <= 12:
                found.append((m.start(), m.end(), ("date", day, month, m.group(3))))
        for m in _HONORIFIC.finditer(text):
            if _title_case(m.group(2)) and m.group(2) not in self.surnames and m.group(2) in self.given:
                found.append((m.start(2), m.end(2), ("given", m.group(2))))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        out, last = [], 0
        for s, e, slot in found:
            if s < last:  # overlaps an earlier, longer slot
                continue
            out.append((s, e, slot))
            last = e
        return out

    def template(self, text: str) -> list[Segment]:
        segs: list[Segment] = []
        pos = 0
        for s, e, slot in self.spans(text):
            if s > pos:
                segs.append(text[pos:s])
            segs.append(slot)
            pos = e
        if pos < len(text):
            segs.append(text[pos:])
        return segs


def read_sources(corpus_dir: Path | None) -> tuple[list[str], Path]:
    """Texts of the source articles (sorted by file name) and the directory they came from."""
    directory = Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS
    if not directory.is_dir() or not any(directory.glob("*.txt")):
        directory = SEEDS
    texts = []
    for path in sorted(directory.glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff"))
        texts.append(text.replace("\r\n", "\n"))
    return texts, directory


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


class Generator:
    """Generates the scale corpus; see the module docstring."""

    def __init__(self, texts: list[str], seed: int = DEFAULT_SEED):
        surnames, provinces, cues, places = load_surnames(), load_provinces(), load_cues(), load_places()
        self.provinces = provinces
        self.sources: list[Source] = []
        counts: Counter[str] = Counter()
        texts = [lines for lines in map(_lines, texts) if len(lines) >= 2]
        for lines in texts:
            text = "\n".join(lines)
            for start, _, name in find_names(text, surnames):
                before = text[max(0, start - 24):start].split()
                if before and before[-1].lower() in cues and name not in places:
                    counts[name] += 1
        # Most frequent first, ties by name: the pool (and so the output) is deterministic.
        self.names = [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))] or ["Nguyễn Văn An"]
        # Only names of the pool (seen at least once after a title or honorific) are substituted.
        parser = _Parser(surnames, provinces, frozenset(self.names))
        for lines in texts:
            self.sources.append(Source(parser.template(lines[0]), [parser.template(p) for p in lines[1:]]))
        if not self.sources:
            raise ValueError("no source article with a title and a paragraph")
        self.name_weights = [1.0 / (rank + 1) for rank in range(len(self.names))]
        self.rng = random.Random(seed)

    # ------------------------------------------------------------------ one cluster
    def _new_mapping(self) -> dict:
        return {"name": {}, "prov": {}, "shift": self.rng.randint(-200, 200)}

    def _render(self, segs: list[Segment], mapping: dict) -> str:
        out = []
        for seg in segs:
            if isinstance(seg, str):
                out.append(seg)
                continue
            kind = seg[0]
            if kind == "name":
                new = mapping["name"].get(seg[1])
                if new is None:
                    new = self.rng.choices(self.names, self.name_weights)[0]
                    mapping["name"][seg[1]] = new
                out.append(new)
            elif kind == "given":  # 'ông Lâm' after 'Tô Lâm': follow the substituted full name
                given = next((new.rsplit(" ", 1)[-1] for old, new in mapping["name"].items()
                              if old.rsplit(" ", 1)[-1] == seg[1]), seg[1])
                out.append(given)
            elif kind == "prov":
                new = mapping["prov"].get(seg[1])
                if new is None:
                    new = mapping["prov"][seg[1]] = self.rng.choice(self.provinces)
                out.append(new)
            else:  # date
                _, day, month, year = seg
                try:
                    date = dt.date(int(year) if year else YEAR, month, day) + dt.timedelta(days=mapping["shift"])
                except ValueError:
                    date = dt.date(int(year) if year else YEAR, month, 28) + dt.timedelta(days=mapping["shift"])
                out.append(f"{date.day}/{date.month}" + (f"/{date.year}" if year else ""))
        return "".join(out)

    def _tail(self, base: Source, lead_len: int, first: bool) -> list[list[Segment]]:
        rest = base.paragraphs[lead_len:]
        if first and rest:  # the first outlet keeps the source's own tail
            return rest
        tail: list[list[Segment]] = []
        if rest:
            start = self.rng.randrange(len(rest))
            tail += rest[start:start + self.rng.randint(1, 3)]
        for _ in range(self.rng.randint(1, 2)):
            other = self.rng.choice(self.sources)
            start = self.rng.randrange(len(other.paragraphs))
            tail += other.paragraphs[start:start + self.rng.randint(1, 4)]
        return tail

    def clusters(self):
        """Endless stream of generated texts, cluster after cluster."""
        rng = self.rng
        while True:
            base = rng.choice(self.sources)
            size = rng.choices((1, 2, 3, 4, 5, 6), (50, 20, 12, 8, 6, 4))[0]
            lead_len = min(len(base.paragraphs), rng.randint(1, 3))
            mapping = self._new_mapping()
            title = self._render(base.title, mapping)
            lead = [self._render(p, mapping) for p in base.paragraphs[:lead_len]]
            for member in range(size):
                tail = [self._render(p, mapping) for p in self._tail(base, lead_len, member == 0)]
                yield title, lead, tail

    def generate(self, n: int):
        """The first ``n`` distinct texts."""
        seen: set[bytes] = set()
        stream = self.clusters()
        count = 0
        while count < n:
            title, lead, tail = next(stream)
            text = "\n".join([title, *lead, *tail]) + "\n"
            key = hashlib.blake2b(" ".join(text.split()).encode(), digest_size=16).digest()
            if key in seen:  # same text as an earlier file (a one-paragraph source, a tiny corpus)
                continue
            seen.add(key)
            count += 1
            yield text


def generate(out_dir: Path, n: int, corpus_dir: Path | None = None, seed: int = DEFAULT_SEED,
             prefix: str = "gen_") -> list[Path]:
    """Write ``n`` generated articles to ``out_dir`` as ``<prefix>000000.txt``...; return their paths."""
    texts, _ = read_sources(corpus_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(n - 1)))
    paths = []
    for i, text in enumerate(Generator(texts, seed).generate(n)):
        path = out_dir / f"{prefix}{i:0{width}d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles to write")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--corpus", type=Path, default=None, help=f"source corpus (default {DEFAULT_CORPUS}, else seeds/)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    _, source = read_sources(a.corpus)
    paths = generate(a.out, a.n, a.corpus, a.seed)
    print(f"{len(paths)} articles from {source} -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
