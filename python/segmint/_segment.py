"""segmint.segment: the whole `segmint run` job on a DataFrame, an Arrow table or an array, in one call.

The options are the CLI's (`k="2..10"` is `--k 2..10`), passed to the same command-line parser, so a Python
call and the CLI on the same data give the same segments, names, profiles, model and report, and the same
one-line error messages (raised as ValueError).
"""
from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
import warnings

import numpy as np

from . import _segmint
from ._tables import columns_of

__all__ = ["segment", "Segmentation", "Model", "Report", "load_model", "SegmintWarning"]


class SegmintWarning(UserWarning):
    """What the CLI prints as "segmint: warning: ..." (imputed values, a k at the edge of its range, ...)."""


class Report(str):
    """report.html's text; shown inline by Jupyter (in an iframe, so its styles stay its own)."""

    def _repr_html_(self):
        return f'<iframe srcdoc="{html.escape(self, quote=True)}" style="width:100%;height:900px;border:0"></iframe>'

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self)


class Model:
    """A saved segmentation model (model.json, the CLI's format): scores new customers."""

    def __init__(self, text: str):
        self._text = text
        self.spec = json.loads(text)

    @property
    def names(self) -> list[str]:
        return [s["name"] for s in self.spec.get("segments", [])]

    def save(self, path):
        """Writes model.json (`segmint predict --model PATH` reads it)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self._text)

    def predict(self, data, backend="auto"):
        """Segment of each row of `data` (same columns as in training): a Series aligned with a DataFrame's
        index, else an int array. Rows the model cannot score raise ValueError naming the row and column."""
        cols = columns_of(data)
        labels, _, _, rows = _segmint.predict_table(self._text, "table", cols.names, cols.numbers, cols.text, backend)
        return _aligned(labels, rows, cols)

    def __getstate__(self):
        return {"text": self._text}

    def __setstate__(self, state):
        self.__init__(state["text"])


def load_model(path) -> Model:
    """The model.json of a `segmint run` (CLI or Python)."""
    with open(path, encoding="utf-8") as f:
        return Model(f.read())


def _aligned(labels, rows, cols, missing=-1):
    """Per input row: the label, or `missing` for rows the run did not use (rejected; counted in run["rows"])."""
    out = np.full(cols.rows, missing, dtype=np.int64)
    out[rows] = labels
    if cols.index is None:
        return out
    import pandas as pd

    series = pd.Series(out, index=cols.index, name="segment")
    if (out == missing).any():
        series = series.astype("Int64").mask(series == missing)
    return series


class Segmentation:
    """The outcome of segment(): labels, names, profiles, scores, the model, the report and the run record."""

    def __init__(self, outcome, cols, files):
        self._outcome = outcome
        self.k = outcome["k"]
        self.algorithm = outcome["algorithm"]
        self.reason = outcome["reason"]
        self.names = list(outcome["names"])
        self.warnings = list(outcome["warnings"])
        self.labels = _aligned(outcome["labels"], outcome["rows"], cols)
        self.run = json.loads(files["run.json"])
        self.model = Model(files["model.json"])
        self._profile_csv = files["profile.csv"]
        self._report = files.get("report.html")
        self._scores = self.run["selection"]["per_k"]
        self.out_dir = outcome["out_dir"]

    @property
    def segment_names(self):
        """The segment name of every input row (None for rows not used)."""
        names = np.array(self.names + [None], dtype=object)
        values = np.asarray(self.labels if not hasattr(self.labels, "to_numpy") else self.labels.to_numpy(dtype=float, na_value=-1))
        names_of_rows = names[np.where(values >= 0, values, len(self.names)).astype(int)]
        if hasattr(self.labels, "index"):
            import pandas as pd

            return pd.Series(names_of_rows, index=self.labels.index, name="segment_name")
        return names_of_rows

    @property
    def profiles(self):
        """profile.csv as a DataFrame: one row per segment (size, share, name, reason, means and medians)."""
        import io

        import pandas as pd

        return pd.read_csv(io.StringIO(self._profile_csv))

    @property
    def scores(self):
        """One row per k tried: inertia, silhouette, Calinski-Harabasz, Davies-Bouldin (and BIC/AIC for GMM)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover
            return self._scores
        return pd.DataFrame(self._scores)

    def report_html(self) -> Report:
        """report.html (scatter plots, heatmap, profiles); displays inline in Jupyter."""
        if self._report is None:
            raise ValueError("this run was made with report=False")
        return Report(self._report)

    def predict(self, data, backend="auto"):
        return self.model.predict(data, backend=backend)

    def __repr__(self):
        sizes = np.bincount(np.asarray(self._outcome["labels"]), minlength=self.k)
        parts = ", ".join(f"{n} ({s})" for n, s in zip(self.names, sizes))
        return f"<Segmentation: {self.k} segments by {self.algorithm}: {parts}>"


def _raise(code, err):
    """The CLI's error line as a Python exception: bad input (exit 2) is a ValueError."""
    lines = [line for line in err.strip().splitlines() if line.startswith("segmint: error")] or [err.strip()]
    message = lines[-1].removeprefix("segmint: error: ")
    raise (ValueError if code == 2 else ArithmeticError if code == 4 else RuntimeError)(message)


def _option_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, range):
        return f"{value.start}..{value.stop - 1}"
    return str(value)


def _arguments(source, out_dir, options, command="run") -> list[str]:
    """A CLI command line from keyword options: name_with_underscores=value → --name-with-underscores value."""
    args = ["segmint", command] + ([source] if source is not None else []) + ["--out", out_dir]
    if command == "run":
        args.append("--quiet")
    for name, value in options.items():
        if value is None or value is False:
            continue
        if name == "roles" and isinstance(value, dict):
            value = ",".join(f"{role}={column}" for role, column in value.items())
        if name == "ordinal":  # {column: [lowest, ..., highest]} → one --ordinal per column
            for column, answers in dict(value).items():
                args += ["--ordinal", f"{column}={_option_text(list(answers))}"]
            continue
        flag = "--" + name.replace("_", "-")
        args += [flag] if value is True else [flag, _option_text(value)]
    return args


def segment(data, k="2..10", algo="kmeans", *, categorical=None, ordinal=None, profile_only=None, features=None, id=None, log=None, pca=None, seed=0,
            n_init=None, max_iter=None, tol=None, covariance=None, standardize=True, roles=None, probabilities=False,
            backend="auto", threads=None, on_bad_row="fail", report=True, out=None) -> Segmentation:
    """Segments customers as `segmint run` does: reads the table, preprocesses (standardises; `log="auto"`,
    `pca=0.9` as asked), chooses k in the range by the algorithm's rule, clusters, names and profiles the
    segments, and writes nothing unless `out` names a folder for the CLI's files.

    data: a pandas DataFrame (a named index is the customer id), a pyarrow Table, or a 2-D NumPy array.
    ordinal: {column: [lowest, ..., highest]}, text columns whose answers are ordered as listed.
    Every other option has the CLI's meaning (`segmint run --help`).
    """
    cols = columns_of(data)
    if id is None and cols.id_column is not None:
        id = cols.id_column
    options = {
        "k": k, "algo": algo, "categorical": categorical, "ordinal": ordinal, "profile_only": profile_only,
        "features": features, "id": id,
        "log": log, "pca": pca, "seed": seed, "n_init": n_init, "max_iter": max_iter, "tol": tol,
        "covariance": covariance, "no_standardize": not standardize, "role": roles, "probabilities": probabilities,
        "backend": backend, "threads": threads, "on_bad_row": on_bad_row, "no_report": not report,
    }
    if isinstance(log, (list, tuple)) and not log:
        options["log"] = "none"
    source = "DataFrame" if cols.index is not None else type(data).__name__
    work = out if out is not None else tempfile.mkdtemp(prefix="segmint-")
    try:
        code, _, err, outcome = _segmint.run_table(_arguments(source, os.fspath(work), options), cols.names, cols.numbers,
                                                   cols.text)
        if outcome is None:
            _raise(code, err)
        files = {}
        for name in ("model.json", "run.json", "profile.csv", "report.html"):
            if name not in outcome["files"]:
                continue
            with open(os.path.join(work, name), encoding="utf-8") as f:
                files[name] = f.read()
    finally:
        if out is None:
            shutil.rmtree(work, ignore_errors=True)
    result = Segmentation(outcome, cols, files)
    for w in result.warnings:
        warnings.warn(w, SegmintWarning, stacklevel=2)
    return result
