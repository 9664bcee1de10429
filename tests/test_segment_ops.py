"""Segment reductions, dynamic_partition/dynamic_stitch, searchsorted, bincount and
histogram_fixed_width: values against NumPy references, TF's error types and texts, and TF's
gradient rules (edge cases checked against TF 2.21)."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError

M = tf.math
DATA = np.array([[1.5, -2.0], [3.0, 0.5], [-1.0, 4.0], [2.0, 2.0], [0.0, -3.0]], np.float32)


def _reference(data, ids, num, reduce, fill):
    """Loop reference: output row k reduces the rows whose id is k (negative ids dropped)."""
    ids = np.asarray(ids)
    rows = data.reshape((ids.size,) + data.shape[ids.ndim:])
    out = np.full((num,) + rows.shape[1:], fill, data.dtype)
    for k in range(num):
        picked = rows[ids.reshape(-1) == k]
        if len(picked):
            out[k] = reduce(picked, axis=0)
    return out


def _grad(fn, x):
    x = tf.constant(x)
    with tf.GradientTape() as g:
        g.watch(x)
        y = fn(x)
    return g.gradient(y, x)


SORTED = [(M.segment_sum, np.sum, 0), (M.segment_mean, np.mean, 0), (M.segment_max, np.max, 0),
          (M.segment_min, np.min, 0), (M.segment_prod, np.prod, 1)]


@pytest.mark.parametrize("fn, reduce, fill", SORTED, ids=lambda v: getattr(v, "__name__", ""))
def test_sorted_segments_match_reference(fn, reduce, fill):
    ids = [0, 0, 2, 3, 3]  # segment 1 is empty
    got = fn(DATA, ids)
    assert got.dtype == tf.float32 and got.shape == (4, 2)
    np.testing.assert_allclose(got.numpy(), _reference(DATA, ids, 4, reduce, fill), rtol=1e-6)
    np.testing.assert_allclose(fn(DATA[:, 0], tf.constant(ids, tf.int64)).numpy(),
                               _reference(DATA[:, 0], ids, 4, reduce, fill), rtol=1e-6)


def test_sorted_integer_segments():
    x = tf.constant([[1, 2], [3, 4], [5, 6]])
    assert M.segment_sum(x, [0, 0, 1]).numpy().tolist() == [[4, 6], [5, 6]]
    assert M.segment_mean(tf.constant([-3, 0, 4, 1]), [0, 0, 1, 1]).numpy().tolist() == [-1, 2]
    assert M.segment_sum(tf.constant([200, 100], tf.uint8), [0, 0]).numpy().tolist() == [44]
    empty = M.segment_sum(tf.zeros([0, 2]), tf.constant([], tf.int32))
    assert empty.shape == (0, 2)


@pytest.mark.parametrize("data, ids, text", [
    (DATA, [1, 0, 0, 2, 2], "segment ids are not increasing"),
    (DATA, [-1, 0, 0, 2, 2], "Segment id -1 out of range [0, 3), possibly because "
                             "'segment_ids' input is not sorted."),
    (DATA, [0, 0, 0, 0, -2], "segment ids must be >= 0"),
    (DATA, [0, 0, 1], "segment_ids should be the same size as dimension 0 of input."),
    (DATA, [[0, 0, 1, 1, 2]], "segment_ids should be a vector."),
    (2.0, 0, "input must be at least rank 1"),
    (DATA, [0.0, 0, 1, 1, 1], "Value for attr 'Tindices' of float is not in the list of allowed "
                              "values: int32, int64"),
    (DATA, tf.constant([0, 0, 1, 1, 1], tf.int16), "Value for attr 'Tindices' of int16"),
    ([True], [0], "Value for attr 'T' of bool is not in the list of allowed values"),
])
def test_sorted_segment_errors(data, ids, text):
    with pytest.raises(InvalidArgumentError) as e:
        M.segment_sum(data, ids)
    assert str(e.value).startswith(text)
    assert "[Op:SegmentSum]" in str(e.value)


UNSORTED = [(M.unsorted_segment_sum, np.sum, 0), (M.unsorted_segment_prod, np.prod, 1),
            (M.unsorted_segment_max, np.max, np.finfo(np.float32).min),
            (M.unsorted_segment_min, np.min, np.finfo(np.float32).max),
            (M.unsorted_segment_mean, np.mean, 0)]


@pytest.mark.parametrize("fn, reduce, fill", UNSORTED, ids=lambda v: getattr(v, "__name__", ""))
def test_unsorted_segments_match_reference(fn, reduce, fill):
    ids = [1, 0, 1, -1, 3]  # any order; -1 dropped; segments 2 and 4 empty
    got = fn(DATA, ids, 5)
    np.testing.assert_allclose(got.numpy(), _reference(DATA, ids, 5, reduce, fill), rtol=1e-6)
    ids2 = [[0, 1], [1, 0], [2, 2], [0, -1], [1, 1]]  # ids may cover leading dims of data
    np.testing.assert_allclose(fn(DATA, ids2, tf.constant(3, tf.int64)).numpy(),
                               _reference(DATA, ids2, 3, reduce, fill), rtol=1e-6)


def test_unsorted_fills_and_dtypes():
    x = tf.constant([[1, 2], [3, 4], [5, 6]])
    assert M.unsorted_segment_max(x, [0, 0, 2], 3).numpy()[1].tolist() == [-2**31, -2**31]
    assert M.unsorted_segment_min(x, [0, 0, 2], 3).numpy()[1].tolist() == [2**31 - 1] * 2
    mean = M.unsorted_segment_mean(x, [0, 0, 2], 3)  # integer data: TF's true division
    assert mean.dtype == tf.float64 and mean.numpy().tolist() == [[2, 3], [0, 0], [5, 6]]
    got = M.unsorted_segment_sqrt_n(DATA, [1, 0, 1, -1, 3], 5).numpy()
    np.testing.assert_allclose(got[1], (DATA[0] + DATA[2]) / np.sqrt(2), rtol=1e-6)
    assert M.unsorted_segment_sum(tf.constant(2.0), 0, 3).numpy().tolist() == [2, 0, 0]


@pytest.mark.parametrize("call, text", [
    (lambda: M.unsorted_segment_sum(DATA, [0, 1, 5, 1, 1], 3),
     "segment_ids[2] = 5 is out of range [0, 3)"),
    (lambda: M.unsorted_segment_max(DATA, [[0, 1], [1, 0], [2, 7], [0, 1], [1, 1]], 3),
     "segment_ids[2,1] = 7 is out of range [0, 3)"),
    (lambda: M.unsorted_segment_min(DATA, [0, 1, 1], 3),
     "data.shape = [5,2] does not start with segment_ids.shape = [3]"),
    (lambda: M.unsorted_segment_prod(DATA, [0] * 5, -1),
     "Input num_segments == -1 must not be negative."),
    (lambda: M.unsorted_segment_sum(DATA, [0] * 5, 3.0),
     "Value for attr 'Tnumsegments' of float is not in the list of allowed values: int32, int64"),
    (lambda: M.unsorted_segment_sum(DATA, [0] * 5, [3]),
     "num_segments should be a scalar, not shape [1]"),
    (lambda: M.unsorted_segment_sum(DATA, [0.0] * 5, 3),
     "Value for attr 'Tindices' of float is not in the list of allowed values: int16, int32, "
     "int64"),
    (lambda: M.unsorted_segment_max(tf.constant([1j]), [0], 1),
     "Value for attr 'T' of complex128 is not in the list of allowed values"),
    (lambda: M.unsorted_segment_mean(tf.constant([1j, 2.0]), [0, 0], 1),
     "Value for attr 'T' of complex128 is not in the list of allowed values"),
    (lambda: M.unsorted_segment_sqrt_n(tf.constant([1, 2]), [0, 0], 1),
     "Value for attr 'T' of int32 is not in the list of allowed values"),
])
def test_unsorted_segment_errors(call, text):
    with pytest.raises(InvalidArgumentError) as e:
        call()
    assert str(e.value).startswith(text)


# -- gradients (TF's rules) ----------------------------------------------------------------------

TIES = np.array([2.0, 2.0, 0.0, 0.0, 3.0], np.float32)  # segments [2, 2, 0] and [0, 3]


def test_max_and_min_share_the_gradient_between_ties():
    ids = [0, 0, 0, 1, 1]
    assert _grad(lambda x: M.segment_max(x, ids), TIES).numpy().tolist() == [.5, .5, 0, 0, 1]
    assert _grad(lambda x: M.segment_min(x, ids), TIES).numpy().tolist() == [0, 0, 1, 1, 0]
    # a dropped element equal to its would-be segment's max gets nothing and takes no share
    got = _grad(lambda x: M.unsorted_segment_max(x, [0, 0, -1, 1, 1], 3), [2., 2., 2., 0., 3.])
    assert got.numpy().tolist() == [.5, .5, 0, 0, 1]


def test_product_gradient_is_exact_at_zeros():
    # one zero: it gets the product of the others, the rest get 0 (no 0/0)
    got = _grad(lambda x: M.segment_prod(x, [0, 0, 0, 1, 1]), TIES)
    assert got.numpy().tolist() == [0, 0, 4, 3, 0]
    # two zeros in a segment: nothing flows back to any of its elements
    got = _grad(lambda x: M.unsorted_segment_prod(x, [0, 1, 1, 1, 2], 3), TIES)
    assert got.numpy().tolist() == [1, 0, 0, 0, 1]
    got = _grad(lambda x: M.segment_prod(x, [0, 0, 1, 1, 1]), np.array([2., 3., 4., 5., 6.]))
    assert got.numpy().tolist() == [3, 2, 30, 24, 20]


def test_sum_and_mean_gradients_route_rows_back():
    w = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    got = _grad(lambda x: M.unsorted_segment_sum(x, [2, -1, 2, 0, 1], 3) * w, DATA)
    assert got.numpy().tolist() == [[5, 6], [0, 0], [5, 6], [1, 2], [3, 4]]
    got = _grad(lambda x: M.segment_mean(x, [0, 0, 0, 2, 2]) * w, DATA)
    np.testing.assert_allclose(got.numpy(), [[1 / 3, 2 / 3]] * 3 + [[2.5, 3.0]] * 2)
    assert _grad(lambda x: M.segment_sum(x, tf.constant([0, 0, 1, 1, 1])), DATA).dtype == \
        tf.float32


def test_segment_ids_get_no_gradient():
    ids = tf.constant([0.0, 0.0, 1.0])
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as g:
        g.watch([ids, x])
        y = M.segment_sum(x, tf.cast(ids, tf.int32))
    assert g.gradient(y, ids) is None


# -- dynamic_partition / dynamic_stitch ----------------------------------------------------------

def test_dynamic_partition_values_and_gradient():
    parts = [1, 0, 2, 1, 0]
    got = tf.dynamic_partition(DATA, parts, 4)
    assert isinstance(got, list) and len(got) == 4
    for k, t in enumerate(got):
        np.testing.assert_array_equal(t.numpy(), DATA[np.array(parts) == k])
    assert got[3].shape == (0, 2)
    # only partition 1 is used: its rows get the gradient, the others zeros
    g = _grad(lambda x: tf.dynamic_partition(x, parts, 3)[1] * 3.0, DATA)
    assert g.numpy().tolist() == [[3, 3], [0, 0], [0, 0], [3, 3], [0, 0]]
    got = tf.dynamic_partition(DATA, [[1, 0], [0, 0], [1, 1], [0, 1], [1, 0]], 2)
    np.testing.assert_array_equal(got[0].numpy(), [-2.0, 3.0, 0.5, 2.0, -3.0])


@pytest.mark.parametrize("parts, n, text", [
    ([1, 0, 2, 1, 0], 2, "partitions[2] = 2 is not in [0, 2)"),
    ([[1, 0], [0, 5], [1, 1], [0, 1], [1, 0]], 2, "partitions[1,1] = 5 is not in [0, 2)"),
    ([1, 0, 1], 2, "data.shape must start with partitions.shape, got data.shape = [5,2], "
                   "partitions.shape = [3]"),
    ([0] * 5, 0, "Value for attr 'num_partitions' of 0 must be at least minimum 1"),
])
def test_dynamic_partition_errors(parts, n, text):
    with pytest.raises(InvalidArgumentError) as e:
        tf.dynamic_partition(DATA, parts, n)
    assert str(e.value).startswith(text)


def test_dynamic_stitch_values():
    got = tf.dynamic_stitch([[0, 4], [1]], [DATA[:2], DATA[2:3]])
    np.testing.assert_array_equal(got.numpy(), [DATA[0], DATA[2], [0, 0], [0, 0], DATA[1]])
    got = tf.dynamic_stitch([[1], [0], [1]], [[5], [6], [7]])  # a later input wins
    assert got.dtype == tf.int32 and got.numpy().tolist() == [6, 7]
    got = tf.dynamic_stitch([1, [0, 2]], [DATA[0], DATA[1:3]])
    np.testing.assert_array_equal(got.numpy(), [DATA[1], DATA[0], DATA[2]])
    assert tf.dynamic_stitch([tf.zeros([0], tf.int32)], [tf.zeros([0, 3])]).shape == (0, 3)


def test_dynamic_stitch_gradient_gathers_for_every_input():
    # TF's rule gathers for each input, so a row later overwritten still gets a gradient
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.dynamic_stitch([[0, 1], [1]], [x[:2], x[2:]]) * tf.constant([1.0, 2.0])
    assert g.gradient(y, x).numpy().tolist() == [1, 2, 2]


@pytest.mark.parametrize("call, exc, text", [
    (lambda: tf.dynamic_stitch([[0, 1]], [DATA[:3]]), InvalidArgumentError,
     "data[0].shape = [3,2] does not start with indices[0].shape = [2]"),
    (lambda: tf.dynamic_stitch([[0, -1]], [DATA[:2]]), InvalidArgumentError,
     "indices[1] is out of range"),
    (lambda: tf.dynamic_stitch([[0], [1]], [DATA[:1], tf.zeros([1, 3])]), InvalidArgumentError,
     "Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [1,2], data[1].shape = "
     "[1,3]"),
    (lambda: tf.dynamic_stitch([tf.constant([0, 1], tf.int64)], [DATA[:2]]),
     InvalidArgumentError, "cannot compute DynamicStitch as input #0(zero-based) was expected "
                           "to be a int32 tensor but is a int64 tensor"),
    (lambda: tf.dynamic_stitch([[0], [1]], [tf.constant([1.0]), tf.constant([2])]),
     InvalidArgumentError, "cannot compute DynamicStitch as input #3(zero-based) was expected "
                           "to be a float tensor but is a int32 tensor"),
    (lambda: tf.dynamic_stitch([[0], [1]], [DATA[:1]]), ValueError,
     "List argument 'data' to 'dynamic_stitch' Op with length 1 must match length 2 of "
     "argument 'indices'."),
])
def test_dynamic_stitch_errors(call, exc, text):
    with pytest.raises(exc) as e:
        call()
    assert str(e.value).startswith(text)


# -- searchsorted, bincount, histogram_fixed_width ------------------------------------------------

def test_searchsorted_matches_numpy_per_row():
    seq = np.array([[0.0, 1.0, 1.0, 3.0], [-2.0, -1.0, 5.0, 9.0]], np.float32)
    vals = np.array([[1.0, -1.0, 5.0], [5.0, -3.0, 10.0]], np.float32)
    for side in ("left", "right"):
        got = tf.searchsorted(seq, vals, side=side)
        assert got.dtype == tf.int32
        want = [np.searchsorted(s, v, side) for s, v in zip(seq, vals)]
        assert got.numpy().tolist() == np.array(want).tolist()
    assert tf.searchsorted([0, 3, 8], [4, 3], out_type=tf.int64).dtype == tf.int64
    # NaN compares false with everything: first slot on the left, past the end on the right
    assert tf.searchsorted([0., 3., 8.], [float("nan")]).numpy().tolist() == [0]
    assert tf.searchsorted([0., 3.], [float("nan")], side="right").numpy().tolist() == [2]


@pytest.mark.parametrize("call, exc, text", [
    (lambda: tf.searchsorted([0, 3, 8], [4, 3], side="middle"), ValueError,
     "Argument `side` must be either 'right' or 'left'. Received: `side` = 'middle'."),
    (lambda: tf.searchsorted([[0, 3, 8], [1, 2, 3]], [[9, 2], [0, 6], [1, 1]]),
     InvalidArgumentError, "Leading dim_size of both tensors must match."),
    (lambda: tf.searchsorted([0., 3., 8.], [4, 3]), InvalidArgumentError,
     "cannot compute LowerBound as input #1(zero-based) was expected to be a float tensor"),
    (lambda: tf.searchsorted([1., 2.], 1.5), InvalidArgumentError,
     "slice index -1 of dimension 0 out of bounds."),
])
def test_searchsorted_errors(call, exc, text):
    with pytest.raises(exc) as e:
        call()
    assert str(e.value).startswith(text)


def test_bincount_values():
    arr = [1, 1, 3, 0, 5]
    assert M.bincount(arr).numpy().tolist() == np.bincount(arr).tolist()
    w = np.array([0.5, 1.0, 2.0, 3.0, 4.0], np.float32)
    got = M.bincount(arr, weights=w)
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), np.bincount(arr, weights=w))
    assert M.bincount([1, 1, 3], minlength=6).numpy().tolist() == [0, 2, 0, 1, 0, 0]
    assert M.bincount([1, 1, 3, 7], maxlength=3).numpy().tolist() == [0, 2, 0]
    assert M.bincount([1, 1, 3], dtype=tf.float32).dtype == tf.float32
    assert M.bincount([[1, 1], [3, 0]]).numpy().tolist() == [1, 2, 0, 1]
    rows = M.bincount([[1, 1, 2], [3, 0, 0]], axis=-1)
    assert rows.numpy().tolist() == [[0, 2, 1, 0], [2, 0, 0, 1]]
    binary = M.bincount([[1, 1, 2], [3, 0, 0]], axis=-1, binary_output=True)
    assert binary.numpy().tolist() == [[0, 1, 1, 0], [1, 0, 0, 1]]
    assert M.bincount([1.7, 2.2]).numpy().tolist() == [0, 1, 1]  # float input is cast
    assert M.bincount(tf.zeros([0], tf.int32)).shape == (0,)


@pytest.mark.parametrize("call, exc, text", [
    (lambda: M.bincount([1, -1, 3]), InvalidArgumentError, "Input arr must be non-negative!"),
    (lambda: M.bincount([1, 2], weights=[1., 2.], binary_output=True), ValueError,
     "Arguments `binary_output` and `weights` are mutually exclusive."),
    (lambda: M.bincount([1, 2], axis=1), ValueError,
     "Unsupported value for argument axis=1. Only 0 and -1 are currently supported."),
    (lambda: M.bincount([1, 2], weights=[1., 2., 3.]), InvalidArgumentError,
     "`weights` must be the same shape as `arr` or a length-0 `Tensor`"),
    (lambda: M.bincount([1, 2], dtype=tf.float16), InvalidArgumentError,
     "Value for attr 'T' of half is not in the list of allowed values: int32, int64, float, "
     "double"),
])
def test_bincount_errors(call, exc, text):
    with pytest.raises(exc) as e:
        call()
    assert str(e.value).startswith(text)


def _hist_reference(values, lo, hi, nbins):
    """Equal-width bins over [lo, hi); below goes to the first bin, at or above hi to the last."""
    idx = np.floor((np.clip(values, lo, hi) - lo) / (hi - lo) * nbins)
    return np.bincount(np.clip(idx, 0, nbins - 1).astype(int), minlength=nbins)


def test_histogram_fixed_width_values():
    rng = np.random.default_rng(3)
    v = rng.uniform(-1.5, 11.5, 200).astype(np.float32)
    got = tf.histogram_fixed_width(v, [0.0, 10.0], nbins=7)
    assert got.dtype == tf.int32
    assert got.numpy().tolist() == _hist_reference(v, 0.0, 10.0, 7).tolist()
    got = tf.histogram_fixed_width([-5, -1, 0, 2, 5, 15, 10], [0, 10], nbins=4, dtype=tf.int64)
    assert got.dtype == tf.int64 and got.numpy().tolist() == [4, 0, 1, 2]
    # TF's double-precision arithmetic: a value on an inner edge can land in the lower bin
    got = tf.histogram_fixed_width(tf.constant([-0.85], tf.float64), [-1.0, -0.7], nbins=10)
    assert int(np.argmax(got.numpy())) == 4
    assert tf.histogram_fixed_width([float("nan"), 1.0], [0.0, 2.0], nbins=1).numpy() == [2]
    assert tf.histogram_fixed_width(tf.zeros([0]), [0.0, 2.0], nbins=2).numpy().tolist() == [0, 0]


@pytest.mark.parametrize("call, text", [
    (lambda: tf.histogram_fixed_width([1.0], [3.0, 3.0], nbins=3),
     "value_range should satisfy value_range[0] < value_range[1], but got '[3, 3]'"),
    (lambda: tf.histogram_fixed_width([1.0], [1.5, -2.0], nbins=3),
     "value_range should satisfy value_range[0] < value_range[1], but got '[1.5, -2]'"),
    (lambda: tf.histogram_fixed_width([1.0], [0.0, 3.0], nbins=0),
     "nbins should be a positive number, but got '0'"),
    (lambda: tf.histogram_fixed_width([float("nan")], [0.0, 3.0], nbins=3),
     "Histogram values must not contain NaN"),
    (lambda: tf.histogram_fixed_width([1.0], [0.0, 2.0, 3.0], nbins=2),
     "value_range should be a vector of 2 elements."),
    (lambda: tf.histogram_fixed_width([1.0], [0.0, 2.0], nbins=2, dtype=tf.float32),
     "Value for attr 'dtype' of float is not in the list of allowed values: int32, int64"),
])
def test_histogram_errors(call, text):
    with pytest.raises(InvalidArgumentError) as e:
        call()
    assert str(e.value).startswith(text)


def test_counting_ops_have_no_gradient_entry():
    x = tf.constant([0.5, 1.0, 2.5])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        h = tf.histogram_fixed_width(x, [0.0, 3.0], nbins=3)
        b = M.bincount([0, 1, 1], weights=x)
        s = tf.searchsorted([0.0, 1.0, 2.0], x)
        c = M.bincount(tf.cast(x, tf.int32))
    for target, op in ((h, "HistogramFixedWidth"), (b, "DenseBincount")):
        with pytest.raises(LookupError, match=f"gradient registry has no entry for: {op}"):
            g.gradient(target, x)
    # the integer results are cut from the tape as in TF (reshape of an int, int-only inputs)
    assert g.gradient(s, x) is None and g.gradient(c, x) is None


NAN = float("nan")


@pytest.mark.parametrize("data,ids,num,mx,mn", [
    # TF 2.21 folds acc = acc > x ? acc : x in element order: a NaN is replaced by the next
    # element, so only the elements after a segment's last NaN count, and a NaN last wins.
    ([5.0, NAN, 3.0], [0, 0, 0], 1, [3.0], [3.0]),
    ([5.0, NAN, NAN], [0, 0, 0], 1, [NAN], [NAN]),
    ([2.0, NAN, 1.0, 4.0], [0, 0, 0, 0], 1, [4.0], [1.0]),
    ([NAN, 2.0, 1.0, NAN, 5.0], [0, 0, 1, 1, 1], 2, [2.0, 5.0], [2.0, 5.0]),
])
def test_max_min_fold_nans_as_tf(data, ids, num, mx, mn):
    np.testing.assert_array_equal(tf.math.segment_max(data, ids).numpy(), mx)
    np.testing.assert_array_equal(tf.math.segment_min(data, ids).numpy(), mn)
    np.testing.assert_array_equal(tf.math.unsorted_segment_max(data, ids, num).numpy(), mx)
    np.testing.assert_array_equal(tf.math.unsorted_segment_min(data, ids, num).numpy(), mn)


def test_nan_folding_is_per_column_and_skips_dropped_ids():
    got = tf.math.unsorted_segment_min([[NAN, 2.0], [1.0, NAN], [4.0, 0.5]], [1, 0, 1], 2)
    np.testing.assert_array_equal(got.numpy(), [[1.0, NAN], [4.0, 0.5]])  # TF 2.21's values
    got = tf.math.unsorted_segment_max([1.0, NAN, 3.0, 7.0], [0, -1, 0, 1], 2)
    np.testing.assert_array_equal(got.numpy(), [3.0, 7.0])
