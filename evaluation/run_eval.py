"""`make eval`: our scores and the peer's, side by side, on the dev set in one run.

    python -m evaluation.run_eval [--dev DIR] [--gold FILE] [--no-peer]

1. builds a warehouse from the dev articles with the real pipeline (a temporary file);
2. scores it with the official scorer (../shared/eval/score.py when present, else the
   vendored copy in evaluation/score.py), and the seeds warehouse too;
3. scores the peer, underthesea's bundled CRF NER (people only: it finds names, not
   titles, quotes or events), with the same people metric.
Skips cleanly, exit 0, when the dev set is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
DEV_GOLD = SHARED / "eval" / "gold" / "dev.json"
SEEDS_GOLD = REPO / "tests" / "fixtures" / "gold" / "seeds.json"
AREAS = ("people", "titles", "organizations", "quotes")


def load_scorer():
    """The official scorer when ../shared has it, else the vendored copy."""
    official = SHARED / "eval" / "score.py"
    if official.exists():
        spec = importlib.util.spec_from_file_location("official_score", official)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.score, str(official)
    from evaluation.score import score

    return score, "evaluation/score.py (vendored)"


def build(inbox: Path, warehouse: Path) -> None:
    """Run the headless pipeline in a subprocess, so each warehouse file is opened fresh."""
    env = {**os.environ, "NEWS_INBOX_DIR": str(inbox), "NEWS_WAREHOUSE_PATH": str(warehouse),
           "NEWS_STAGING_DIR": str(warehouse.parent / "staging")}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli"], env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pipeline failed on {inbox}:\n{done.stdout}\n{done.stderr}")


def fmt(res: dict) -> list[str]:
    lines = [f"  {a:<14} P={res[a]['p']:.3f} R={res[a]['r']:.3f} F1={res[a]['f1']:.3f}" for a in AREAS]
    lines.append(f"  {'attribution':<14} {res['quote_attribution_acc']:.3f}")
    lines.append(f"  {'events':<14} {res['events']} merged-wrongly={res['events_wrongly_merged']} "
                 f"same-event-linked={res['same_event_linked']}")
    lines.append("  summary: " + " ".join([f"people_f1={res['people']['f1']}", f"titles_f1={res['titles']['f1']}",
                                            f"orgs_f1={res['organizations']['f1']}", f"quotes_f1={res['quotes']['f1']}",
                                            f"attribution={res['quote_attribution_acc']}",
                                            f"event_acc={res['event_acc']}"]))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--gold", type=Path, default=DEV_GOLD)
    ap.add_argument("--no-peer", action="store_true", help="skip the underthesea peer")
    a = ap.parse_args(argv)
    score, scorer_name = load_scorer()
    print(f"scorer: {scorer_name}")
    with tempfile.TemporaryDirectory(prefix="news-eval-") as tmp:
        seeds_db = Path(tmp) / "seeds" / "news.duckdb"
        seeds_db.parent.mkdir()
        build(REPO / "seeds", seeds_db)
        print("seeds (ours):")
        print("\n".join(fmt(score(str(seeds_db), str(SEEDS_GOLD)))))
        if not (a.dev.is_dir() and a.gold.exists()):
            print(f"dev set skipped: {a.dev} or {a.gold} not found")
            return 0
        dev_db = Path(tmp) / "dev" / "news.duckdb"
        dev_db.parent.mkdir()
        build(a.dev, dev_db)
        ours = score(str(dev_db), str(a.gold))
    print(f"dev set ({a.dev}), ours:")
    print("\n".join(fmt(ours)))
    if a.no_peer:
        return 0
    try:
        from evaluation.peer_underthesea import score_people
        peer = score_people(a.dev, a.gold)
    except ImportError:
        print("peer skipped: underthesea is not installed (make eval installs it)")
        return 0
    print("side by side, people (the only area the peer covers):")
    print(f"  {'':<12} {'P':>6} {'R':>6} {'F1':>6}")
    print(f"  {'ours':<12} {ours['people']['p']:>6.3f} {ours['people']['r']:>6.3f} {ours['people']['f1']:>6.3f}")
    print(f"  {'underthesea':<12} {peer['p']:>6.3f} {peer['r']:>6.3f} {peer['f1']:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
