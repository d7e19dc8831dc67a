"""pandas DataFrames, pyarrow Tables and NumPy arrays as the engine's columns.

Numbers go over as float64 (NaN = missing) and become float32 in the engine, as a file's numbers do (an id
column stays exact); everything else goes as text
("" = missing), which the engine one-hot encodes when named in `categorical`, as in the CLI.
"""
from __future__ import annotations

import numpy as np


class Columns:
    """names, numbers (float64 arrays or None), text (lists of str or None), the index to align results with."""

    def __init__(self, names, numbers, text, index, id_column=None):
        self.names = names
        self.numbers = numbers
        self.text = text
        self.index = index
        self.id_column = id_column

    @property
    def rows(self) -> int:
        for n, t in zip(self.numbers, self.text):
            return len(n) if n is not None else len(t)
        return 0


def _text(column) -> list[str]:
    """Text of a pandas column or index, "" where missing (vectorised: no Python loop per value)."""
    import pandas as pd

    values = pd.Series(column, copy=False)
    missing = values.isna().to_numpy()
    text = values.astype(str).to_numpy(dtype=object)
    if missing.any():
        text[missing] = ""
    return text.tolist()


def _exact_numbers(column):
    """float64 values of a numeric column when every value is exact in float64 (ids up to 2**53), else None."""
    import pandas as pd

    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        return None
    values = np.ascontiguousarray(column.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_integer_dtype(dtype) and len(values) and np.nanmax(np.abs(values)) > 2.0**53:
        return None
    return values


def _from_pandas(df) -> Columns:
    import pandas as pd

    names, numbers, text = [], [], []
    id_column = None
    index = df.index
    if index.name is not None and not isinstance(index, pd.MultiIndex):
        # A named index is the customer id (df.set_index("CustomerID")): it goes over as the id column.
        id_column = str(index.name)
        names.append(id_column)
        exact = _exact_numbers(index)
        numbers.append(exact)
        text.append(None if exact is not None else _text(index))
    for name in df.columns:
        column = df[name]
        if pd.api.types.is_bool_dtype(column.dtype):
            exact = np.ascontiguousarray(column.to_numpy(dtype=np.float64, na_value=np.nan))
        else:
            exact = _exact_numbers(column)
        names.append(str(name))
        numbers.append(exact)
        text.append(None if exact is not None else _text(column))
    return Columns(names, numbers, text, index, id_column)


def _from_arrow(table) -> Columns:
    import pyarrow as pa
    import pyarrow.compute as pc

    names, numbers, text = [], [], []
    for name, column in zip(table.column_names, table.columns):
        t = column.type
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t):
            as_float = pc.cast(column, pa.float64())
            if as_float.null_count:
                as_float = pc.fill_null(as_float, float("nan"))
            numbers.append(np.ascontiguousarray(as_float.to_numpy(), dtype=np.float64))
            text.append(None)
        else:
            numbers.append(None)
            text.append(["" if v is None else str(v) for v in column.to_pylist()])
        names.append(str(name))
    return Columns(names, numbers, text, None)


def _from_numpy(array) -> Columns:
    a = np.asarray(array)
    if a.ndim != 2:
        raise ValueError(f"a NumPy input must be 2-D (rows x features), got {a.ndim}-D")
    a = np.asfortranarray(a, dtype=np.float64)
    names = [f"f{j}" for j in range(a.shape[1])]  # as the CLI names a .npy file's columns
    return Columns(names, [a[:, j] for j in range(a.shape[1])], [None] * a.shape[1], None)


def columns_of(data) -> Columns:
    """The engine's columns of a DataFrame, an Arrow table or a 2-D array."""
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return _from_pandas(data)
    if module == "pyarrow":
        return _from_arrow(data)
    if isinstance(data, np.ndarray) or isinstance(data, (list, tuple)):
        return _from_numpy(data)
    raise ValueError(f"cannot segment a {type(data).__name__}: give a pandas DataFrame, a pyarrow Table or a 2-D NumPy array")
