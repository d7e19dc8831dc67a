"""segmint.value and segmint.churn: the CLI's commands from Python, the same numbers, DataFrames back."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import segmint
from conftest import DATA

CDNOW_SUMMARY = DATA / "cdnow" / "cdnow_customers_summary.csv"
VALUE_OPTIONS = dict(id="ID", age="T", unit="weeks", horizon=10)


def cli_json(cli, tmp_path, command, *args, name):
    done = subprocess.run([cli, command, *map(str, args), "--out", str(tmp_path / "cli")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads((tmp_path / "cli" / name).read_text()), pd.read_csv(tmp_path / "cli" / name.replace(".json", ".csv"))


def test_value_from_a_summary_file_and_dataframe_same_as_cli(cli, tmp_path):
    expected, per_customer = cli_json(cli, tmp_path, "value", "--summary", CDNOW_SUMMARY, "--id", "ID", "--age", "T", "--unit",
                                      "weeks", "--horizon", "10", name="value.json")
    from_file = segmint.value(summary=CDNOW_SUMMARY, **VALUE_OPTIONS)
    from_frame = segmint.value(summary=pd.read_csv(CDNOW_SUMMARY), **VALUE_OPTIONS)
    for result in (from_file, from_frame):
        assert result.summary["bgnbd"] == expected["bgnbd"]
        assert result.summary["bgnbd"]["r"] == pytest.approx(0.2426, abs=1e-4)  # published: 0.243
        np.testing.assert_array_equal(result.customers["p_alive"], per_customer["p_alive"])
        assert list(result.customers.columns) == list(per_customer.columns)


def test_value_from_a_log_with_a_holdout(tmp_path):
    result = segmint.value(transactions=DATA / "cdnow" / "CDNOW_sample.txt", no_header=True, delimiter="whitespace",
                           customer=2, date=3, amount=5, keep_duplicates=True, calibration_end="1997-09-30",
                           monetary="repeat", out=tmp_path / "v")
    assert result.summary["holdout"]["actual_purchases"] > 0
    assert {"p_alive", "expected_purchases", "clv", "holdout_purchases"} <= set(result.customers.columns)
    assert (tmp_path / "v" / "value.csv").exists()


def test_churn_same_as_cli(cli, tmp_path):
    days = sorted((DATA / "online_retail" / "by-day").glob("*.csv.gz"))
    columns = dict(customer="CustomerID", date="InvoiceDate", quantity="Quantity", price="UnitPrice", invoice="InvoiceNo")
    flags = [x for k, v in columns.items() for x in (f"--{k}", v)]
    expected, per_customer = cli_json(cli, tmp_path, "churn", "--transactions", *days, *flags, "--cutoff", "2011-09-10",
                                      "--window", "90", name="churn.json")
    result = segmint.churn(transactions=days, cutoff="2011-09-10", window=90, **columns)
    assert result.summary["holdout"]["auc"] == expected["holdout"]["auc"]
    assert 0.7 < result.summary["holdout"]["auc"] < 1
    np.testing.assert_array_equal(result.customers["churn_probability"], per_customer["churn_probability"])


def test_value_bad_input_raises_the_cli_message():
    with pytest.raises(ValueError, match="'nope'"):
        segmint.value(summary=CDNOW_SUMMARY, id="nope", age="T")
    with pytest.raises(ValueError, match="give a file path or a pandas DataFrame"):
        segmint.value(summary=42)
