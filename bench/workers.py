"""The measured steps that run in their own process (``bench.run`` starts them, so each one's
peak RSS is its own). Each prints one JSON object on its last line.

    python -m bench.workers throughput --dir DIR --n 300 [--same N]
    python -m bench.workers peer --dir DIR --n 100
    python -m bench.workers profile --dir DIR --n 300 --out FILE.txt

``throughput`` and ``peer`` pin themselves to one core (core 0) first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path


def pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return f"core {sorted(os.sched_getaffinity(0))[0]}"
    except (AttributeError, OSError):  # not Linux
        return "not pinned"


def read_texts(directory: Path, n: int) -> list[str]:
    """The first ``n`` ``*.txt`` of ``directory`` by name; cycled when it holds fewer."""
    files = sorted(p for p in Path(directory).glob("*.txt") if p.is_file())
    if not files:
        raise SystemExit(f"no *.txt in {directory}")
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files[:n]]
    while len(texts) < n:
        texts.extend(texts[: n - len(texts)])
    return texts


def _ours(texts: list[str]) -> dict:
    from pipelines.extract import extract
    from pipelines.text.normalize import normalize_text

    extract(normalize_text(texts[0])["body"])  # warm-up: lexicons and automata load lazily
    t_norm = t_extract = 0.0
    for text in texts:
        t0 = time.perf_counter()
        fields = normalize_text(text)
        t1 = time.perf_counter()
        extract(fields["body"], fields["published_date"])
        t_extract += time.perf_counter() - t1
        t_norm += t1 - t0
    total = t_norm + t_extract
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return {"articles": len(texts), "seconds": total, "aps": len(texts) / total, "mbps": mb / total,
            "normalize_s": t_norm, "extract_s": t_extract, "mb": mb}


def throughput(directory: Path, n: int, same: int) -> dict:
    pinned = pin_one_core()
    texts = read_texts(directory, n)
    res = _ours(texts) | {"pinned": pinned}
    if same:
        res["same_n"] = _ours(texts[:same])
    return res


def peer(directory: Path, n: int) -> dict:
    pinned = pin_one_core()
    try:
        import underthesea
        from evaluation.peer_underthesea import peer_people, throughput as peer_throughput
    except ImportError as exc:
        return {"skipped": f"underthesea is not installed ({exc}); `make bench` installs .[peer]"}
    texts = read_texts(directory, n)
    aps = peer_throughput(texts, peer_people)
    return {"articles": len(texts), "aps": aps, "pinned": pinned,
            "peer": f"underthesea {underthesea.__version__} ner (CRF), per sentence"}


def profile(directory: Path, n: int, out: Path) -> dict:
    """pyinstrument over normalize + extract of ``n`` articles: where the time goes."""
    pin_one_core()
    try:
        from pyinstrument import Profiler
    except ImportError:
        return {"skipped": "pyinstrument is not installed (pip install -e '.[bench]')"}
    from pipelines.extract import extract
    from pipelines.text.normalize import normalize_text

    texts = read_texts(directory, n)
    extract(normalize_text(texts[0])["body"])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        fields = normalize_text(text)
        extract(fields["body"], fields["published_date"])
    profiler.stop()
    Path(out).write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    root = profiler.last_session.root_frame()
    total = root.time or 1e-9

    self_time: dict[str, float] = defaultdict(float)  # by function, self time
    stages: dict[str, float] = defaultdict(float)  # by module of pipelines, inclusive, outermost only
    regex_compile = [0.0]  # inclusive time in re.compile/re._compile (cache misses at run time)

    def where(frame) -> str:
        path = (frame.file_path or "").replace(os.sep, "/")
        if "/pipelines/" in path:
            path = "pipelines/" + path.split("/pipelines/", 1)[1]
        elif "/site-packages/" in path:
            path = path.split("/site-packages/", 1)[1]
        return f"{path}:{frame.function}"

    def walk(frame, in_pipelines_module: str | None, in_compile: bool = False):
        path0 = (frame.file_path or "").replace(os.sep, "/")
        if not in_compile and path0.endswith("re/__init__.py") and frame.function in ("compile", "_compile"):
            regex_compile[0] += frame.time
            in_compile = True
        if not frame.is_synthetic:  # '[self]' leaves: their time is in the parent's total_self_time
            self_time[where(frame)] += frame.total_self_time
        path = (frame.file_path or "").replace(os.sep, "/")
        module = None
        if "/pipelines/" in path:
            module = "pipelines/" + path.split("/pipelines/", 1)[1]
        # Attribute inclusive time to the first pipelines module below normalize/extract's driver.
        if module and module not in ("pipelines/extract/document.py", "pipelines/text/normalize.py") \
                and in_pipelines_module is None:
            stages[f"{module}:{frame.function}"] += frame.time
            in_pipelines_module = module
        for child in frame.children:
            walk(child, in_pipelines_module, in_compile)

    walk(root, None)
    top_self = sorted(self_time.items(), key=lambda kv: -kv[1])[:15]
    top_stages = sorted(stages.items(), key=lambda kv: -kv[1])[:15]
    return {"articles": len(texts), "seconds": total,
            "top_self": [(k, v, v / total) for k, v in top_self],
            "top_stages": [(k, v, v / total) for k, v in top_stages],
            "regex_compile": (regex_compile[0], regex_compile[0] / total), "text": str(out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.workers")
    ap.add_argument("step", choices=("throughput", "peer", "profile"))
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--same", type=int, default=0, help="throughput: also time the first N alone")
    ap.add_argument("--out", type=Path, default=Path("profile.txt"))
    a = ap.parse_args(argv)
    if a.step == "throughput":
        res = throughput(a.dir, a.n, a.same)
    elif a.step == "peer":
        res = peer(a.dir, a.n)
    else:
        res = profile(a.dir, a.n, a.out)
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
