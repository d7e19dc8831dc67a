"""The estimators follow scikit-learn's conventions (its own checks) and agree with scikit-learn's results."""
import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.utils.estimator_checks import parametrize_with_checks

import segmint


@parametrize_with_checks([segmint.KMeans(), segmint.GaussianMixture(), segmint.Ward()])
def test_scikit_learn_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=3000, centers=5, n_features=6, cluster_std=[0.6, 1.0, 0.8, 1.2, 0.7], random_state=7)
    return X.astype(np.float32), y


def test_kmeans_equals_scikit_learn_partition(blobs):
    X, y = blobs
    ours = segmint.KMeans(5, random_state=1).fit(X)
    theirs = SkKMeans(5, n_init=10, random_state=1).fit(X)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-4)
    assert np.array_equal(ours.predict(X), ours.labels_)
    # segments are numbered by decreasing size
    sizes = np.bincount(ours.labels_)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_kmeans_chooses_k_from_a_range(blobs):
    X, y = blobs
    model = segmint.KMeans(n_clusters="2..8", random_state=0).fit(X)
    assert model.n_clusters_ == 5
    assert [s["k"] for s in model.scores_] == list(range(2, 9))
    assert "silhouette" in model.reason_
    assert adjusted_rand_score(model.labels_, y) == 1.0
    assert segmint.KMeans(n_clusters=range(2, 9), random_state=0).fit(X).n_clusters_ == 5


def test_gaussian_mixture_matches_scikit_learn(blobs):
    X, y = blobs
    ours = segmint.GaussianMixture(5, random_state=0).fit(X)
    theirs = SkGaussianMixture(5, random_state=0).fit(X)
    assert adjusted_rand_score(ours.predict(X), theirs.predict(X)) == 1.0
    order = [int(np.argmin(((theirs.means_ - m) ** 2).sum(1))) for m in ours.means_]
    np.testing.assert_allclose(ours.means_, theirs.means_[order], atol=2e-3)
    np.testing.assert_allclose(ours.weights_, theirs.weights_[order], atol=1e-4)
    np.testing.assert_allclose(ours.covariances_, theirs.covariances_[order], atol=5e-3)
    assert ours.score(X) == pytest.approx(theirs.score(X), rel=1e-4)
    assert ours.bic(X) == pytest.approx(theirs.bic(X), rel=1e-4)
    assert ours.aic(X) == pytest.approx(theirs.aic(X), rel=1e-4)
    proba = ours.predict_proba(X)
    assert proba.shape == (len(X), 5)
    np.testing.assert_allclose(proba.sum(1), 1.0, atol=1e-5)
    assert np.array_equal(proba.argmax(1), ours.labels_)


def test_gaussian_mixture_chooses_k_and_covariance_by_bic(blobs):
    X, y = blobs
    model = segmint.GaussianMixture(n_components="2..7", covariance_type=["full", "diag"], random_state=0).fit(X)
    assert model.n_components_ == 5
    assert "BIC" in model.reason_


def test_ward_equals_scikit_learn_agglomerative(blobs):
    X, y = blobs
    X = X[:800]
    ours = segmint.Ward(4).fit(X)
    theirs = AgglomerativeClustering(4, linkage="ward").fit(X)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    assert ours.linkage_.shape == (799, 4)
    assert ours.children_.shape == (799, 2)
    assert np.all(np.diff(ours.distances_) >= 0)
    assert np.array_equal(ours.predict(X[:50]), ours.predict(X)[:50])


def test_fitted_estimators_pickle(blobs, tmp_path):
    import pickle

    X, _ = blobs
    for est in (segmint.KMeans(4, random_state=2), segmint.GaussianMixture(3, random_state=2), segmint.Ward(3)):
        est.fit(X[:500])
        again = pickle.loads(pickle.dumps(est))
        assert np.array_equal(again.predict(X), est.predict(X))


def test_same_bits_in_place_and_copied(blobs):
    X, _ = blobs
    c_order = np.ascontiguousarray(X)
    f_order = np.asfortranarray(X)  # read in place, no copy
    a = segmint.KMeans(5, random_state=3).fit(c_order)
    b = segmint.KMeans(5, random_state=3).fit(f_order)
    assert np.array_equal(a.labels_, b.labels_)
    assert np.array_equal(a.cluster_centers_, b.cluster_centers_)


@pytest.mark.parametrize("bad, message", [
    (dict(n_clusters="two"), "n_clusters='two'"),
    (dict(n_clusters="5..3"), "1 <= min <= max"),
    (dict(n_clusters=0), "1 <= min <= max"),
    (dict(random_state=-1), "random_state=-1"),
    (dict(backend="tpu"), "tpu"),
])
def test_bad_parameters_raise_value_error(blobs, bad, message):
    X, _ = blobs
    with pytest.raises(ValueError, match=message):
        segmint.KMeans(**{"n_clusters": 3, **bad}).fit(X[:100])


def test_too_few_rows_for_k():
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=4"):
        segmint.KMeans(4).fit(np.zeros((3, 2)))
