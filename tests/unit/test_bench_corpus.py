"""The benchmark's scale-corpus generator (bench/corpus.py): deterministic, distinct texts,
titles kept, names/places/dates substituted consistently, prefix-stable across sizes."""

from pathlib import Path

import pytest

from bench.corpus import Generator, find_names, generate, load_provinces, load_surnames

TITLES = ["Hội nghị tổng kết công tác năm", "Đoàn công tác thăm và làm việc", "Khai mạc hội chợ xuân",
          "Lễ ký kết hợp tác giữa hai bên", "Giải bóng đá giao hữu đầu năm", "Họp báo công bố kết quả"]


def _article(i: int) -> str:
    return "\n".join([
        TITLES[i],
        f"Sáng 2{i}/1, tại Hà Nội, Bộ trưởng Nguyễn Văn Phúc chủ trì hội nghị số {i}.",
        f"Phát biểu tại hội nghị, ông Phúc khẳng định ngành sẽ tiếp tục đổi mới lần thứ {i}.",
        f"Chủ tịch Trần Thị Lan cho biết tỉnh Nghệ An đã hoàn thành {i + 3} dự án trong năm qua.",
        f"Cùng ngày, đoàn đã đến thăm Đà Nẵng và làm việc với lãnh đạo địa phương về kế hoạch {i}.",
        "Bà Lan nói: \"Chúng tôi sẽ phối hợp chặt chẽ với các bộ, ngành trong thời gian tới\".",
    ]) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(len(TITLES)):
        (src / f"{i:03d}.txt").write_text(_article(i), encoding="utf-8")
    return src


def _texts(paths):
    return [p.read_text(encoding="utf-8") for p in paths]


def test_same_seed_same_files_and_n_written(tmp_path, corpus):
    a = generate(tmp_path / "a", 60, corpus, seed=7)
    b = generate(tmp_path / "b", 60, corpus, seed=7)
    assert len(a) == 60 == len(list((tmp_path / "a").glob("*.txt")))
    assert [p.name for p in a] == [p.name for p in b]
    assert _texts(a) == _texts(b)
    c = generate(tmp_path / "c", 60, corpus, seed=8)
    assert _texts(a) != _texts(c)


def test_texts_distinct_even_after_whitespace_normalization(tmp_path, corpus):
    texts = _texts(generate(tmp_path / "out", 80, corpus))
    assert len({" ".join(t.split()) for t in texts}) == len(texts)


def test_titles_kept_as_first_line(tmp_path, corpus):
    for text in _texts(generate(tmp_path / "out", 40, corpus)):
        assert text.splitlines()[0] in TITLES
        assert len(text.splitlines()) >= 2


def test_prefix_stable_across_sizes(tmp_path, corpus):
    small = _texts(generate(tmp_path / "small", 15, corpus))
    large = _texts(generate(tmp_path / "large", 40, corpus))
    assert large[:15] == small


def test_names_places_dates_substituted_consistently(tmp_path, corpus):
    texts = _texts(generate(tmp_path / "out", 40, corpus))
    surnames = load_surnames()
    provinces = set(load_provinces())
    # Names are harvested (seen after a title or honorific) and substituted from that pool.
    pool = set(Generator([_article(i) for i in range(len(TITLES))]).names)
    assert {"Nguyễn Văn Phúc", "Trần Thị Lan"} <= pool
    assert any("Nguyễn Văn Phúc" not in t for t in texts)
    for text in texts:
        for _, _, name in find_names(text, surnames):
            assert name in pool or name in provinces or name.split()[0] not in surnames
        if "Bộ trưởng " in text and "ông " in text:  # 'ông Phúc' follows the substituted minister
            minister = text.split("Bộ trưởng ", 1)[1].split(" chủ trì", 1)[0]
            assert f"ông {minister.split()[-1]}" in text
    assert any("Hà Nội" not in t.splitlines()[1] for t in texts)  # places moved
    dates = {t.split("Sáng ", 1)[1].split(",", 1)[0] for t in texts if "Sáng " in t}
    assert dates - {f"2{i}/1" for i in range(len(TITLES))}  # dates shifted (one shift per cluster)


def test_falls_back_to_seeds_when_corpus_absent(tmp_path):
    paths = generate(tmp_path / "out", 12, tmp_path / "missing")
    texts = _texts(paths)
    assert len(set(texts)) == 12
