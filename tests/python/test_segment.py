"""segmint.segment on DataFrames gives the CLI's segments, profiles and model, byte for byte."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import segmint
from conftest import DATA

MALL = DATA / "mall_customers" / "Mall_Customers.csv"
MARKETING = DATA / "marketing_campaign" / "marketing_campaign.csv"


def run_cli(cli, *args):
    done = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def same_outputs(cli_dir, py_dir):
    """Byte-identical segments and profiles; the same model but for the source it names (the file, "DataFrame")
    and the build that wrote it (the CLI and the package may be built from different commits)."""
    for name in ("segments.csv", "profile.csv"):
        assert (cli_dir / name).read_bytes() == (py_dir / name).read_bytes(), name
    cli_model = (cli_dir / "model.json").read_text().splitlines()
    py_model = (py_dir / "model.json").read_text().splitlines()
    assert len(cli_model) == len(py_model)
    differing = [a.strip().split(":")[0] for a, b in zip(cli_model, py_model) if a != b]
    assert set(differing) <= {'"trained_on"', '"segmint_version"'}, differing
    assert '"trained_on"' in differing


def read(path, **kw):
    """As a user would read it, with ids as text (Mall's are zero-padded: "0001"). Numbers must parse to the
    CLI's doubles (from_chars): pandas 3 does by default, older pandas with float_precision="round_trip"."""
    if int(pd.__version__.split(".")[0]) < 3:
        kw.setdefault("float_precision", "round_trip")
    return pd.read_csv(path, dtype={"CustomerID": str, "ID": str}, **kw)


@pytest.mark.parametrize("algo, extra", [("kmeans", {}), ("gmm", {"covariance": "full,diag"}), ("ward", {})])
def test_mall_same_as_cli(cli, tmp_path, algo, extra):
    options = ["--k", "2..8", "--algo", algo, "--categorical", "Genre", "--seed", "5"]
    for name, value in extra.items():
        options += [f"--{name}", value]
    run_cli(cli, "run", MALL, "--out", tmp_path / "cli", *options)
    df = read(MALL)
    result = segmint.segment(df, k="2..8", algo=algo, categorical=["Genre"], seed=5, out=tmp_path / "py", **extra)
    same_outputs(tmp_path / "cli", tmp_path / "py")
    cli_segments = pd.read_csv(tmp_path / "cli" / "segments.csv")
    assert list(result.labels) == list(cli_segments["segment"])
    assert result.names == [s["name"] for s in json.loads((tmp_path / "cli" / "model.json").read_text())["segments"]]
    assert list(result.segment_names) == list(cli_segments["segment_name"])
    assert result.k == cli_segments["segment"].nunique()
    assert len(result.profiles) == result.k
    assert "<svg" in result.report_html()


def test_marketing_campaign_categorical_and_missing_same_as_cli(cli, tmp_path):
    """Text columns one-hot encoded, 24 missing incomes imputed with the median, a date column skipped."""
    options = dict(k="3..6", categorical=["Education", "Marital_Status"], log="auto", seed=2)
    run_cli(cli, "run", MARKETING, "--out", tmp_path / "cli", "--k", "3..6", "--categorical", "Education,Marital_Status",
            "--log", "auto", "--seed", "2")
    df = read(MARKETING, sep="\t")
    assert df["Income"].isna().sum() == 24
    with pytest.warns(segmint.SegmintWarning, match="imputed 24 missing values of 'Income'"):
        result = segmint.segment(df, out=tmp_path / "py", **options)
    same_outputs(tmp_path / "cli", tmp_path / "py")
    assert result.run["rows"]["used"] == len(df)


def test_online_retail_features_same_as_cli(cli, tmp_path):
    days = sorted((DATA / "online_retail" / "by-day").glob("*.csv.gz"))  # the whole log, 2010-12-01..2011-12-09
    features = tmp_path / "customers.csv"
    run_cli(cli, "features", "--transactions", *days, "--customer", "CustomerID", "--date", "InvoiceDate", "--quantity",
            "Quantity", "--price", "UnitPrice", "--invoice", "InvoiceNo", "--out", features)
    columns = "recency_days,frequency,monetary_total"
    run_cli(cli, "run", features, "--id", "CustomerID", "--features", columns, "--log", "auto", "--k", "2..6", "--out",
            tmp_path / "cli")
    df = read(features).set_index("CustomerID")  # a named index is the id
    result = segmint.segment(df, features=columns.split(","), log="auto", k="2..6", out=tmp_path / "py")
    same_outputs(tmp_path / "cli", tmp_path / "py")
    assert result.labels.index.equals(df.index)


def test_labels_align_with_the_index_and_rejected_rows_are_missing(tmp_path):
    df = read(MALL).set_index("CustomerID")
    empty = list(df.index[[2, 6]])
    df.loc[empty, ["Age", "Annual Income (k$)", "Spending Score (1-100)"]] = np.nan  # rows with no values
    df = df.drop(columns=["Genre"]).iloc[::-1]  # any order; the index carries the ids
    with pytest.raises(ValueError, match=r"DataFrame:194: column 2 'Age': no value in any feature column"):
        segmint.segment(df, k=4)  # the 194th row (CustomerID 0007): as the CLI, fail unless told to skip
    result = segmint.segment(df, k=4, on_bad_row="skip")
    assert result.labels.index.equals(df.index)
    assert result.labels.loc[empty].isna().all()
    assert result.labels.notna().sum() == 198
    assert result.run["rows"]["rejected_by_reason"] == {"no_feature_values": 2}


def test_numpy_and_arrow_inputs_give_the_same_segments(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    df = read(MALL).drop(columns=["CustomerID"])
    parquet = tmp_path / "mall.parquet"
    df.to_parquet(parquet)
    from_df = segmint.segment(df, k=5, categorical=["Genre"], seed=1)
    from_arrow = segmint.segment(pq.read_table(parquet), k=5, categorical=["Genre"], seed=1)
    from_parquet_df = segmint.segment(pd.read_parquet(parquet), k=5, categorical=["Genre"], seed=1)
    assert np.array_equal(np.asarray(from_df.labels), from_arrow.labels)
    assert np.array_equal(np.asarray(from_df.labels), np.asarray(from_parquet_df.labels))
    numbers = df.drop(columns=["Genre"])
    from_numpy = segmint.segment(numbers.to_numpy(), k=5, seed=1)
    from_numeric_df = segmint.segment(numbers, k=5, seed=1)
    assert np.array_equal(from_numpy.labels, np.asarray(from_numeric_df.labels))


def test_model_save_load_predict_same_as_cli_predict(cli, tmp_path):
    df = read(MALL)
    result = segmint.segment(df, k=5, categorical=["Genre"], seed=4)
    result.model.save(tmp_path / "model.json")
    run_cli(cli, "predict", "--model", tmp_path / "model.json", MALL, "--out", tmp_path / "scored.csv")
    scored = pd.read_csv(tmp_path / "scored.csv")
    model = segmint.load_model(tmp_path / "model.json")
    assert list(model.predict(df)) == list(scored["segment"])
    assert list(result.predict(df)) == list(result.labels)  # training rows score into their own segment here
    assert model.names == result.names


def test_report_displays_inline():
    result = segmint.segment(read(MALL), k=4)
    report = result.report_html()
    assert report._repr_html_().startswith("<iframe srcdoc=")
    assert "Segment" in report


@pytest.mark.parametrize("kwargs, message", [
    (dict(k="9..3"), "--k"),
    (dict(algo="dbscan"), "--algo"),
    (dict(categorical=["Nope"]), "'Nope'"),
    (dict(features=["Genre"]), "text column"),
    (dict(log=["Genre"], categorical=["Genre"]), "Genre"),
])
def test_bad_options_raise_the_cli_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        segmint.segment(read(MALL), **kwargs)


def test_bad_data_names_row_and_column():
    df = read(MALL)
    df.loc[4, "CustomerID"] = np.nan  # a missing id: the message names the table, row and column
    with pytest.raises(ValueError, match=r"DataFrame:5: column 1 'CustomerID': missing id"):
        segmint.segment(df, id="CustomerID")
    skipped = segmint.segment(df, id="CustomerID", on_bad_row="skip", k=3)
    assert skipped.labels.isna().tolist() == [i == 4 for i in range(len(df))]
    assert skipped.run["rows"]["rejected_by_reason"] == {"missing_id": 1}
    with pytest.raises(ValueError, match="cannot segment a dict"):
        segmint.segment({"a": [1, 2]})
    with pytest.raises(ValueError, match="no rows"):
        segmint.segment(read(MALL).iloc[:0])


def test_nothing_written_without_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    segmint.segment(read(MALL), k=3)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("first_id", [99_990, 2**40, 2**60])  # 100000 stays "100000"; beyond 2**53 sent as text
def test_integer_ids_stay_exact(tmp_path, first_id):
    df = read(MALL).drop(columns=["Genre", "CustomerID"])
    df.index = pd.Index(np.arange(len(df), dtype=np.int64) + first_id, name="CustomerID")
    segmint.segment(df, k=3, out=tmp_path / "o", report=False)
    ids = pd.read_csv(tmp_path / "o" / "segments.csv", dtype=str)["CustomerID"]
    assert list(ids) == [str(v) for v in df.index]


def test_survey_answers_same_as_cli(cli, tmp_path):
    """Yes/No answers, a rating scale with labelled end points and frequency phrases, read from a DataFrame
    exactly as from the file; an explicit order for Gender."""
    survey = DATA / "mcdonalds" / "mcdonalds.csv"
    run_cli(cli, "run", survey, "--out", tmp_path / "cli", "--k", "4", "--ordinal", "Gender=Male,Female")
    df = read(survey)
    result = segmint.segment(df, k=4, ordinal={"Gender": ["Male", "Female"]}, out=tmp_path / "py")
    same_outputs(tmp_path / "cli", tmp_path / "py")
    assert result.run["columns"]["text_scales"]["Like"]["answers"]["I hate it!-5"] == -5
    assert result.run["columns"]["features"][-1] == "Gender"


def test_profile_only_columns_are_described_not_clustered(tmp_path):
    df = read(MARKETING, sep="\t")
    result = segmint.segment(df, k=3, profile_only=["Education"])
    described = {p["column"]: p for p in result.run["profiled"]}
    assert described["Education"]["why"] == "--profile-only"
    assert described["Response"]["why"] == "outcome"
    assert "Education" not in result.run["columns"]["features"]
    for c in range(3):
        rows = df[result.labels == c]
        assert described["Response"]["segments"][c]["mean"] == pytest.approx(rows["Response"].mean(), abs=1e-12)
