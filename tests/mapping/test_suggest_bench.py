"""bench/suggest.py records which data file it scored or fitted on."""

from bench.suggest import ROOT, _shown


def test_a_data_file_inside_the_repository_is_recorded_relative_to_it():
    assert _shown(str(ROOT / "bench/data/x.json")) == "bench/data/x.json"


def test_a_data_file_outside_the_repository_is_recorded_whole(tmp_path):
    # not as ../../tmp/…, which names no file from the repository's root
    copy = tmp_path / "all-development.json"
    assert _shown(str(copy)) == str(copy)
