"""segmint: customer segmentation on CPU and GPU, from Python.

    import pandas as pd, segmint
    df = pd.read_csv("Mall_Customers.csv").set_index("CustomerID")
    result = segmint.segment(df, k="2..10", categorical=["Gender"])
    result.labels, result.names, result.profiles, result.report_html()

Estimators with scikit-learn's conventions: segmint.KMeans, segmint.GaussianMixture, segmint.Ward.
Customer value and churn: segmint.value(...), segmint.churn(...) (the CLI's commands, returning DataFrames).
The engine is segmint's C++ library (the CLI's), so Python and the CLI give the same segments.
"""
from ._estimators import GaussianMixture, KMeans, Ward, k_range
from ._segment import Model, Report, Segmentation, SegmintWarning, load_model, segment
from ._segmint import __version__
from ._value import CommandResult, churn, value

__all__ = ["segment", "Segmentation", "Model", "Report", "load_model", "SegmintWarning", "KMeans", "GaussianMixture",
           "Ward", "k_range", "value", "churn", "CommandResult", "__version__"]
