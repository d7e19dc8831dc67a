"""segmint.value and segmint.churn: the CLI's `value` and `churn` commands, in-process, returning DataFrames.

Inputs are files (paths, as the CLI takes them) or DataFrames; a DataFrame is written to a CSV in a temporary
folder first (pandas writes floats in their shortest exact form, so the numbers the engine reads are the
DataFrame's). Options have the CLI's names with "_" for "-" (`calibration_end="1997-09-30"` is
`--calibration-end 1997-09-30`); `segmint value --help` and `segmint churn --help` list them.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings

from . import _segmint
from ._segment import SegmintWarning, _arguments, _raise

__all__ = ["value", "churn", "CommandResult"]


class CommandResult:
    """A finished `value` or `churn` command: the per-customer table, the JSON summary, the printed report."""

    def __init__(self, table, summary, text, out_dir):
        self.customers = table   # value.csv / churn.csv as a DataFrame
        self.summary = summary   # value.json / churn.json as a dict
        self.text = text         # what the CLI prints (the fit, the per-segment table, the ledger)
        self.out_dir = out_dir   # the folder the files are in (None when nothing was kept)

    def __repr__(self):
        return self.text


def _as_file(data, work, name):
    """A path for the CLI: a path as given, a DataFrame written to WORK/NAME (its named index as a column)."""
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data)
    if hasattr(data, "to_csv"):
        path = os.path.join(work, name)
        data.to_csv(path, index=data.index.name is not None)
        return path
    raise ValueError(f"give a file path or a pandas DataFrame, not a {type(data).__name__}")


def _command(name, table_file, summary_file, inputs, options, out):
    import pandas as pd

    work = tempfile.mkdtemp(prefix=f"segmint-{name}-")
    out_dir = os.fspath(out) if out is not None else os.path.join(work, "out")
    try:
        files = []
        for key, data in inputs.items():
            if data is None:
                continue
            many = data if isinstance(data, (list, tuple)) else [data]
            files += [f"--{key}"] + [_as_file(d, work, f"{key}{i}.csv") for i, d in enumerate(many)]
        args = _arguments(None, out_dir, options, command=name) + files
        code, text, err = _segmint.run_command(args)
        if code != 0:
            _raise(code, err)
        for line in err.splitlines():
            if line.startswith("segmint: warning: "):
                warnings.warn(line.removeprefix("segmint: warning: "), SegmintWarning, stacklevel=3)
        table = pd.read_csv(os.path.join(out_dir, table_file), dtype={0: str})
        with open(os.path.join(out_dir, summary_file), encoding="utf-8") as f:
            summary = json.load(f)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return CommandResult(table, summary, text, out_dir if out is not None else None)


def value(*, transactions=None, summary=None, out=None, **options) -> CommandResult:
    """Customer value (BG/NBD, MBG/NBD or Pareto/NBD; Gamma-Gamma spend and CLV) as `segmint value`.

    transactions: a log (path, list of paths, or DataFrame) with customer=, date= and amount= (or quantity=,
    price=) naming its columns; or summary: lifetimes' per-customer summary with id=, frequency=, recency=,
    age= (and monetary=). `.customers` is value.csv (p_alive, expected_purchases, expected_spend, clv per
    customer), `.summary` value.json (parameters, standard errors, log-likelihood, holdout, segments).
    """
    return _command("value", "value.csv", "value.json", {"transactions": transactions, "summary": summary}, options, out)


def churn(*, transactions, out=None, **options) -> CommandResult:
    """Labelled churn as `segmint churn`: cutoff="YYYY-MM-DD", window=N days, from a transaction log.

    `.customers` is churn.csv (churned, churn_probability, p_alive, holdout), `.summary` churn.json (AUC,
    PR-AUC, Brier score, calibration, lift, coefficients).
    """
    return _command("churn", "churn.csv", "churn.json", {"transactions": transactions}, options, out)
