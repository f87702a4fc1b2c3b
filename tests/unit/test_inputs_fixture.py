"""tests/fixtures/inputs/ is made by the project's own code: the generator reproduces it exactly."""

from tests.fixtures.make_inputs import INPUTS, build


def test_generator_reproduces_the_committed_fixtures():
    files = build()
    for rel, data in files.items():
        assert (INPUTS / rel).read_bytes() == data, f"{rel} differs: run python -m tests.fixtures.make_inputs"
    on_disk = {str(p.relative_to(INPUTS)) for p in INPUTS.rglob("*") if p.is_file()}
    assert on_disk == set(files)
