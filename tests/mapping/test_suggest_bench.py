"""bench/suggest.py records which data file it scored or fitted on."""

import json
import subprocess
import sys

from bench.suggest import ROOT, _shown
from mapping.calibration import CALIBRATION_FILE
from tests.mapping.conftest import SUGGEST_DATA


def test_a_data_file_inside_the_repository_is_recorded_relative_to_it():
    assert _shown(str(ROOT / "bench/data/x.json")) == "bench/data/x.json"


def test_a_data_file_outside_the_repository_is_recorded_whole(tmp_path):
    # not as ../../tmp/…, which names no file from the repository's root
    copy = tmp_path / "all-development.json"
    assert _shown(str(copy)) == str(copy)


def test_a_trial_fit_leaves_the_shipped_calibration_as_it_is(tmp_path):
    # given a small all-development copy of the labelled data
    data = json.loads(SUGGEST_DATA.read_text())
    data["pairs"] = [dict(pair, split="development") for pair in data["pairs"][:12]]
    copy = tmp_path / "small.json"
    copy.write_text(json.dumps(data))
    shipped = CALIBRATION_FILE.read_bytes()
    # when fitted with --no-write
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench/suggest.py"), "--data", str(copy)]
        + ["--fit", "--no-write", "--only-development"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    # then it scores with the fitted table and writes no file of the tree
    assert run.returncode == 0, run.stderr
    assert "trial fit, not written" in run.stdout
    assert CALIBRATION_FILE.read_bytes() == shipped
