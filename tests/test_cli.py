import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

import socialabm
from socialabm.cli import main
from socialabm.provenance import code_hash

DEBT_AVERSE = "examples.debt_averse_consumer:DebtAverseConsumer"


def test_run_writes_daily_series_plot_and_summary(tmp_path, capsys):
    code = main(
        [
            "run",
            "social_commerce",
            "--steps",
            "25",
            "--seed",
            "3",
            "--set",
            "n_consumers=200",
            "--set",
            f"consumer_class={DEBT_AVERSE}",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert f"  overrides: n_consumers=200, consumer_class={DEBT_AVERSE}\n" in printed
    assert f"  classes: consumer_class={DEBT_AVERSE}\n" in printed
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["scenario"] == "social_commerce"
    assert (manifest["seed"], manifest["steps"]) == (3, 25)
    assert manifest["overrides"] == {"n_consumers": 200, "consumer_class": DEBT_AVERSE}
    assert manifest["classes"] == {"consumer_class": DEBT_AVERSE}
    assert manifest["package_version"] == socialabm.__version__
    assert manifest["code_hash"] == code_hash()
    module = Path(__file__).parents[1] / "examples" / "debt_averse_consumer.py"
    assert manifest["user_modules"] == {
        "examples.debt_averse_consumer": hashlib.sha256(module.read_bytes()).hexdigest()
    }
    assert "aware_share" in printed and "sales" in printed
    daily = pd.read_parquet(tmp_path / "out" / "daily.parquet")
    assert len(daily) == 25 and daily["day"].tolist() == list(range(1, 26))
    assert pd.read_csv(tmp_path / "out" / "daily.csv").shape == daily.shape
    assert (tmp_path / "out" / "social_commerce.png").stat().st_size > 10_000
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert len(summary) == 1 and {"aware_share", "sales"} <= set(summary.columns)
    assert "25 days" in printed


def test_scenarios_and_params_list(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ("traditional", "social_commerce", "integrated_scenes"):
        assert name in out
    assert main(["params"]) == 0
    assert "jump_friction" in capsys.readouterr().out


def test_errors_are_one_line_without_traceback(tmp_path, capsys):
    bad_file = tmp_path / "bad.toml"
    bad_file.write_text("[parameters]\nbeta_weak = 7\n")
    broken = tmp_path / "broken.toml"
    broken.write_text("this is = = not toml")
    cases = [
        (["run", "social_comerce"], "did you mean 'social_commerce'"),
        (["run", "traditional", "--set", "jump_fricton=0.1"], "did you mean 'jump_friction'"),
        (["run", "traditional", "--set", "deposit=2"], "'deposit': value 2.0 is out of range"),
        (["run", str(bad_file)], "'beta_weak': value 7"),
        (["run", str(broken)], "not valid TOML"),
        (["run", str(tmp_path / "missing.toml")], "does not exist"),
        (["run", "traditional", "--steps", "0"], "--steps 0: allowed"),
        (["compare", "traditional", "presale", "--steps", "-1"], "--steps -1: allowed"),
    ]
    for argv, fragment in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert fragment in err and "Traceback" not in err
        assert err.count("\n") == 1


def test_console_script_runs_end_to_end(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialabm.cli",
            "run",
            "traditional",
            "--steps",
            "10",
            "--set",
            "n_consumers=100",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traditional" in result.stdout
