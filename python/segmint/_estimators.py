"""scikit-learn estimators over segmint's engine: KMeans, GaussianMixture and Ward.

They cluster X as given (no scaling, like scikit-learn's); `segmint.segment` is the whole job with
preprocessing, names and profiles. `n_clusters` may be a range, and k is then chosen by the algorithm's rule
(K-Means and Ward: the highest silhouette; GMM: the lowest BIC), as `segmint run --k 2..10` does.
Segments are numbered by decreasing size (0 = the largest).
"""
from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, DensityMixin
from sklearn.utils.validation import check_is_fitted

from . import _segmint

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - older scikit-learn
    def _validate_data(estimator, X, reset=True, **kwargs):
        return estimator._validate_data(X, reset=reset, **kwargs)

__all__ = ["KMeans", "GaussianMixture", "Ward", "k_range"]


def k_range(n_clusters) -> tuple[int, int]:
    """(k_min, k_max) from an int, a range/sequence of ints, a (min, max) tuple or the CLI's "MIN..MAX"."""
    if isinstance(n_clusters, (bool, np.bool_)):
        raise ValueError(f"n_clusters={n_clusters!r}: give an int, a range or 'MIN..MAX'")
    if isinstance(n_clusters, numbers.Integral):
        k = int(n_clusters)
        return k, k
    if isinstance(n_clusters, str):
        low, sep, high = n_clusters.partition("..")
        try:
            return (int(low), int(high)) if sep else (int(low), int(low))
        except ValueError:
            raise ValueError(f"n_clusters={n_clusters!r}: give an int, a range or 'MIN..MAX'") from None
    if isinstance(n_clusters, range):
        if n_clusters.step != 1 or len(n_clusters) == 0:
            raise ValueError(f"n_clusters={n_clusters!r}: give a non-empty range with step 1")
        return n_clusters.start, n_clusters.stop - 1
    if isinstance(n_clusters, (tuple, list)) and len(n_clusters) == 2:
        return int(n_clusters[0]), int(n_clusters[1])
    raise ValueError(f"n_clusters={n_clusters!r}: give an int, a range or 'MIN..MAX'")


def _seed(random_state) -> int:
    """segmint is deterministic by seed: None is seed 0; a RandomState draws one."""
    if random_state is None:
        return 0
    if isinstance(random_state, numbers.Integral):
        if random_state < 0:
            raise ValueError(f"random_state={random_state}: give a seed from 0 to 2**64 - 1")
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(f"random_state={random_state!r}: give None, an int or a numpy RandomState")


def _float32_columns(X) -> np.ndarray:
    """The engine's layout: float32, column-major. Arrays already so are used in place (no copy)."""
    return np.asfortranarray(X, dtype=np.float32)


class _Engine(BaseEstimator):
    """What the three estimators share: validation, the call into segmint::segment, and the fitted record."""

    _algo = "kmeans"

    def _fit_engine(self, X, k_min, k_max, n_init, max_iter, tol, covariance=("full",), reg_covar=1e-6):
        X = _validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=1)
        n = X.shape[0]
        if k_min < 1 or k_max < k_min:
            raise ValueError(f"n_clusters range {k_min}..{k_max}: give 1 <= min <= max")
        if n < k_min:
            raise ValueError(f"n_samples={n} should be >= n_clusters={k_min}.")
        k_max = min(k_max, n)
        threads = 0 if self.n_threads is None else int(self.n_threads)
        fitted = _segmint.segment_matrix(_float32_columns(X), self._algo, k_min, k_max, _seed(self.random_state),
                                         n_init, max_iter, tol, list(covariance), reg_covar, self.backend, threads)
        self.labels_ = fitted["labels"]
        self.n_clusters_ = fitted["k"]
        self.scores_ = fitted["per_k"]
        self.reason_ = fitted["reason"]
        self.n_iter_ = max(1, int(fitted["chosen"]["iterations"]))
        return fitted

    def _threads(self):
        return 0 if self.n_threads is None else int(self.n_threads)

    def _check_X(self, X):
        check_is_fitted(self)
        return _float32_columns(_validate_data(self, X, dtype=[np.float64, np.float32], reset=False))


class _NearestCentre(ClusterMixin, _Engine):
    """predict = the nearest of cluster_centers_ (K-Means, and Ward's segment means as `segmint predict` does)."""

    def predict(self, X):
        """The segment of each row: its nearest centre."""
        labels, _ = _segmint.predict_nearest(self._check_X(X), _float32_columns(self.cluster_centers_), self.backend,
                                             self._threads())
        return labels


class KMeans(_NearestCentre):
    """K-Means (Lloyd, k-means++ restarts), k fixed or chosen by the highest silhouette.

    Attributes: labels_, cluster_centers_, inertia_, n_iter_, n_clusters_ (the k used), scores_ (one dict per k
    tried: inertia, silhouette, calinski_harabasz, davies_bouldin), reason_ (why this k).
    """

    _algo = "kmeans"

    def __init__(self, n_clusters=8, *, n_init="auto", max_iter=300, tol=1e-6, random_state=None, backend="auto",
                 n_threads=None):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.backend = backend
        self.n_threads = n_threads

    def fit(self, X, y=None):
        k_min, k_max = k_range(self.n_clusters)
        n_init = 0 if self.n_init == "auto" else int(self.n_init)
        fitted = self._fit_engine(X, k_min, k_max, n_init, int(self.max_iter), float(self.tol))
        self.cluster_centers_ = np.ascontiguousarray(fitted["centres"])
        self.inertia_ = float(fitted["chosen"]["inertia"])
        return self


class Ward(_NearestCentre):
    """Hierarchical clustering with Ward's linkage (exact up to 50,000 rows, two-stage above), cut at k.

    Attributes: labels_, linkage_ (SciPy's format: a, b, height, size), children_ and distances_ (as
    scikit-learn's AgglomerativeClustering; in two-stage mode the leaves are micro-clusters), cluster_centers_
    (segment means, used by predict: the nearest centre), n_clusters_, scores_, reason_.
    """

    _algo = "ward"

    def __init__(self, n_clusters=2, *, random_state=None, backend="auto", n_threads=None):
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.backend = backend
        self.n_threads = n_threads

    def fit(self, X, y=None):
        k_min, k_max = k_range(self.n_clusters)
        fitted = self._fit_engine(X, k_min, k_max, -1, 0, -1.0)
        self.cluster_centers_ = np.ascontiguousarray(fitted["centres"])
        z = fitted.get("linkage", np.zeros((0, 4)))
        self.linkage_ = z
        self.children_ = z[:, :2].astype(np.intp)
        self.distances_ = z[:, 2].copy()
        self.n_leaves_ = z.shape[0] + 1
        return self


class GaussianMixture(DensityMixin, _Engine):
    """Gaussian mixture by EM (k-means initialisation by default), k fixed or chosen by the lowest BIC.

    `n_components` (scikit-learn's name) is an int or a range; `covariance_type` one of full, diag, spherical,
    tied, or a list of them (chosen by BIC). Attributes: weights_, means_, covariances_, labels_, converged_,
    n_iter_, lower_bound_ (mean log-likelihood), n_components_, scores_, reason_.
    """

    _algo = "gmm"

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6, max_iter=100, n_init=1,
                 random_state=None, backend="auto", n_threads=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.random_state = random_state
        self.backend = backend
        self.n_threads = n_threads

    def fit(self, X, y=None):
        k_min, k_max = k_range(self.n_components)
        types = [self.covariance_type] if isinstance(self.covariance_type, str) else list(self.covariance_type)
        fitted = self._fit_engine(X, k_min, k_max, int(self.n_init), int(self.max_iter), float(self.tol), types,
                                  float(self.reg_covar))
        mixture = fitted["mixture"]
        self.n_components_ = fitted["k"]
        self.covariance_type_ = mixture["covariance_type"]
        self.weights_ = np.asarray(mixture["weights"])
        self.means_ = np.ascontiguousarray(mixture["means"])
        self.covariances_ = np.ascontiguousarray(mixture["covariances"])
        self.converged_ = bool(fitted["chosen"]["converged"])
        self.lower_bound_ = float(fitted["chosen"].get("mean_log_likelihood", np.nan))
        return self

    def fit_predict(self, X, y=None):
        return self.fit(X).labels_

    def _score(self, X):
        return _segmint.predict_mixture(self._check_X(X), self.covariance_type_, self.weights_.tolist(),
                                        self.means_.ravel().tolist(), self.covariances_.ravel().tolist(), self.backend,
                                        self._threads())

    def predict(self, X):
        """The most likely component of each row."""
        return self._score(X)[0]

    def predict_proba(self, X):
        """Every component's probability for each row (n_samples × n_components)."""
        return np.ascontiguousarray(self._score(X)[2], dtype=np.float64)

    def score(self, X, y=None):
        """The mean log-likelihood of X under the mixture."""
        return float(self._score(X)[3])

    def bic(self, X):
        """Bayesian information criterion on X (lower is better), as scikit-learn's."""
        _, _, _, mean_ll, parameters = self._score(X)
        n = X.shape[0]
        return -2.0 * mean_ll * n + parameters * np.log(n)

    def aic(self, X):
        """Akaike information criterion on X (lower is better), as scikit-learn's."""
        _, _, _, mean_ll, parameters = self._score(X)
        return -2.0 * mean_ll * X.shape[0] + 2.0 * parameters
