"""None, zeros or LookupError: what differentiating through each op gives
(tf_semantics.md section 3; x = [1.5, -2.5, 3.7, 0.0] watched)."""
import numpy as np

from .codec import Deliberate, snippet

X = [1.5, -2.5, 3.7, 0.0]


def _grad(tf, build, unconnected="none", values=X, dtype=None):
    x = tf.constant(values) if dtype is None else tf.constant(values, dtype)
    with tf.GradientTape() as g:
        g.watch(x)
        y = build(x)
    return g.gradient(y, x, unconnected_gradients=unconnected)


def _outcome_snippets():
    """name -> builder(tf, x); each becomes a snippet returning the gradient w.r.t. x."""
    return {
        "argmax": lambda tf, x: tf.argmax(x),
        "argmin": lambda tf, x: tf.argmin(x),
        "argmax_cast_float": lambda tf, x: tf.cast(tf.argmax(x), tf.float32) * 1.0,
        "cast_to_int": lambda tf, x: tf.cast(x, tf.int32),
        "cast_int_and_back": lambda tf, x: tf.cast(tf.cast(x, tf.int32), tf.float32),
        "cast_to_float64": lambda tf, x: tf.cast(x, tf.float64),
        "cast_to_bool": lambda tf, x: tf.cast(x, tf.bool),
        "round": lambda tf, x: tf.round(x),
        "floor": lambda tf, x: tf.floor(x),
        "ceil": lambda tf, x: tf.math.ceil(x),
        "rint": lambda tf, x: tf.math.rint(x),
        "floordiv_operator": lambda tf, x: x // 2.0,
        "sign_is_zeros": lambda tf, x: tf.sign(x),
        "floormod_operator": lambda tf, x: x % 2.0,
        "comparisons": lambda tf, x: [tf.equal(x, 1.5), tf.greater(x, 0.0), tf.less(x, 0.0),
                                      tf.logical_not(tf.greater_equal(x, 1.0))],
        "where_condition_only": lambda tf, x: tf.where(x > 0, 1.0, 0.0),
        "where_selects_x": lambda tf, x: tf.where(x > 0, x, 0.0),
        "shape_size_rank_likes": lambda tf, x: [tf.size(x), tf.shape(x), tf.rank(x),
                                                tf.zeros_like(x), tf.ones_like(x)],
        "cast_size_float": lambda tf, x: tf.cast(tf.size(x), tf.float32),
        "stop_gradient": lambda tf, x: tf.stop_gradient(x),
        "stop_gradient_plus_x": lambda tf, x: tf.stop_gradient(x) + x,
        "sort_routes_back": lambda tf, x: tf.sort(x) * tf.constant([1.0, 2.0, 3.0, 4.0]),
        "top_k_values": lambda tf, x: tf.math.top_k(x, 2).values * tf.constant([1.0, 2.0]),
        "top_k_indices_zero": lambda tf, x: tf.math.top_k(x, 2).indices,
        "argsort_is_zeros": lambda tf, x: tf.argsort(x),
        "unique_lookup_error": lambda tf, x: tf.unique(x).y,
        "unique_idx_cast": lambda tf, x: tf.cast(tf.unique(x).idx, tf.float32),
        "unique_on_side_branch": lambda tf, x: [x * 2.0, tf.unique(x)][0],
        "is_nan_lookup_error": lambda tf, x: tf.math.is_nan(x),
        "histogram_lookup_error": lambda tf, x: tf.histogram_fixed_width(x, [-3.0, 3.0],
                                                                         nbins=3),
        "one_hot_of_argmax": lambda tf, x: tf.one_hot(tf.argmax(x), 4),
        "one_hot_of_cast": lambda tf, x: tf.one_hot(tf.cast(x, tf.int32), 4),
        "one_hot_on_off_values": lambda tf, x: tf.one_hot([0, 2], 3, on_value=x[0],
                                                         off_value=x[1]),
        "boolean_mask": lambda tf, x: tf.boolean_mask(x, x > 0) * 2.0,
        "relu_abs_at_zero": lambda tf, x: tf.nn.relu(x) + tf.abs(x),
        "relu6_leaky_elu": lambda tf, x: tf.nn.relu6(x) + tf.nn.leaky_relu(x, alpha=0.2)
        + tf.nn.elu(x),
        "sqrt_of_square_at_zero": lambda tf, x: tf.sqrt(x * x),
        "pow_half_at_zero": lambda tf, x: tf.abs(x) ** 0.5,
        "where_sqrt_guard": lambda tf, x: tf.where(x > 0, tf.sqrt(tf.abs(x)), 0.0),
        "divide_no_nan_at_zero": lambda tf, x: tf.math.divide_no_nan(1.0, x),
        "fill_from_element": lambda tf, x: tf.fill([2], x[0]) * tf.constant([1.0, 3.0]),
        "tile_reshape_reverse": lambda tf, x: tf.reverse(tf.reshape(tf.tile(x, [2]), [2, 4]),
                                                         [1]) * tf.constant([1.0, 2.0, 3.0,
                                                                             4.0]),
        "cumsum_cumprod": lambda tf, x: tf.cumsum(x) + tf.math.cumprod(x),
        "reduce_prod_with_zero": lambda tf, x: tf.reduce_prod(x),
        "einsum_outer": lambda tf, x: tf.einsum("i,j->ij", x, x),
        "softmax_sigmoid": lambda tf, x: tf.nn.softmax(x) * tf.constant([1.0, 2.0, 3.0, 4.0])
        + tf.sigmoid(x),
        "segment_sum": lambda tf, x: tf.math.segment_sum(x, [0, 0, 1, 1])
        * tf.constant([1.0, 5.0]),
        "unsorted_segment_max": lambda tf, x: tf.math.unsorted_segment_max(x, [0, 1, 0, 1],
                                                                           2),
        "dynamic_partition": lambda tf, x: tf.dynamic_partition(x, [0, 1, 1, 0], 2)[1] * 3.0,
        "range_from_element": lambda tf, x: tf.range(tf.abs(x[0])),
        "random_times_zero": lambda tf, x: tf.random.uniform([4]) * 0.0 + 1.0,
        "constant_from_numpy": lambda tf, x: tf.constant(x.numpy()) * 2.0,
        "as_string": lambda tf, x: tf.strings.as_string(x),
        "unique_of_int_cast": lambda tf, x: tf.unique(tf.cast(x, tf.int32)).y,
        "bincount_weights_lookup_error": lambda tf, x: tf.math.bincount([0, 1, 1, 3], weights=x),
        "dynamic_stitch_overwritten_rows_keep_gradient": lambda tf, x: tf.dynamic_stitch(
            [[0, 1], [1]], [x[:2], x[2:3]]) * tf.constant([1.0, 2.0]),
        "unsorted_segment_prod_zero": lambda tf, x: tf.math.unsorted_segment_prod(
            x, [1, 0, 1, 1], 2) * tf.constant([2.0, 3.0]),
        "is_nan_after_int_round_trip": lambda tf, x: tf.math.is_nan(
            tf.cast(tf.cast(x, tf.int32), tf.float32)),
    }


# Differences kept on purpose (each side is still checked against what is declared here).
DELIBERATE = {
    "as_string": Deliberate(
        tf=None,
        tapegrad=AttributeError("module 'tapegrad' has no attribute 'strings': tapegrad does "
                                "not support tf.strings yet"),
        why="tapegrad has no string dtype; tf.strings is reported as unsupported rather than "
            "half-implemented (TF's AsString is not differentiable: its gradient is None)"),
}


def _make(name, build):
    def case(tf):
        return _grad(tf, lambda x: build(tf, x))
    case.__name__ = "op_" + name
    snippet("outcome", deliberate=DELIBERATE.get(name))(case)


for _name, _build in _outcome_snippets().items():
    _make(_name, _build)


@snippet("outcome")
def op_argmax_zero_mode(tf):
    return _grad(tf, lambda x: tf.argmax(x), unconnected="zero")


@snippet("outcome")
def op_searchsorted_bincount(tf):
    x = tf.constant([1.5, -2.5, 3.7, 0.0])
    with tf.GradientTape() as g:
        g.watch(x)
        s = tf.searchsorted(tf.constant([-1.0, 1.0, 2.0]), x)
        b = tf.math.bincount(tf.cast(tf.abs(x), tf.int32))
    return g.gradient([s, b], x)


@snippet("outcome")
def op_reduce_max_ties_share(tf):
    return _grad(tf, lambda x: tf.reduce_max(x), values=[1.0, 1.0, 0.5])


@snippet("outcome")
def op_maximum_minimum_ties_go_first(tf):
    a = tf.constant([1.0, 1.0, 0.5])
    b = tf.constant([1.0, 0.0, 1.0])
    with tf.GradientTape(persistent=True) as g:
        g.watch([a, b])
        hi = tf.maximum(a, b)
        lo = tf.minimum(a, b)
    return [g.gradient(hi, [a, b]), g.gradient(lo, [a, b])]


@snippet("outcome")
def op_clip_by_value_bounds(tf):
    return _grad(tf, lambda x: tf.clip_by_value(x, -1.0, 1.0), values=[-1.0, 1.0, 0.3, 2.0])


@snippet("outcome")
def op_norm_of_zero_vector(tf):
    return _grad(tf, lambda x: tf.norm(x), values=[0.0, 0.0])


@snippet("outcome")
def op_pow_at_zero_base_and_exponent(tf):
    x = tf.constant([0.0, 2.0])
    p = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch([x, p])
        y = tf.pow(x, p)
    return g.gradient(y, [x, p])


@snippet("outcome")
def op_log_at_zero_and_zero_over_zero(tf):
    v = tf.constant(1.0)
    w = tf.constant(0.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch([v, w])
        lg = tf.math.log(v - 1.0)
        q = w / w
    return [lg, g.gradient(lg, v), q, g.gradient(q, w)]


@snippet("outcome")
def op_det_linspace_differentiable(tf):
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]])
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch([m, a])
        y = tf.linalg.det(m) + tf.reduce_sum(tf.linspace(a, 4.0, 4) * tf.constant(
            [1.0, 2.0, 3.0, 4.0]))
    return g.gradient(y, [m, a])


# -- indexing --------------------------------------------------------------------------------------

@snippet("outcome")
def gather_returns_indexed_slices(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather(p, [2, 0, 2])
    grad = g.gradient(y, p)
    return [grad, tf.convert_to_tensor(grad)]


@snippet("outcome")
def gather_of_variable_and_embedding_lookup(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as g:
        y = tf.gather(v, [1]) + tf.nn.embedding_lookup(v, [2])
    return g.gradient(y, v)


@snippet("outcome")
def gather_axis1_is_dense(tf):
    p = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather(p, [2, 2], axis=1)
    return g.gradient(y, p)


@snippet("outcome")
def gather_indices_get_no_gradient(tf):
    p = tf.constant([1.0, 2.0, 3.0])
    f = tf.constant([0.0, 2.0])
    with tf.GradientTape() as g:
        g.watch([p, f])
        y = tf.gather(p, tf.cast(f, tf.int32))
    return g.gradient(y, f)


@snippet("outcome")
def strided_slice_of_variable_dense(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as g:
        y = v[1]
    return g.gradient(y, v)


@snippet("outcome")
def gather_nd_elements_dense_duplicates_add(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather_nd(p, [[0, 0], [1, 1], [0, 0]])
    return g.gradient(y, p)


@snippet("outcome")
def gather_nd_rows_indexed_slices(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather_nd(p, [[1], [1]])
    return g.gradient(y, p)


@snippet("outcome")
def tensor_scatter_nd_update_both_inputs(tf):
    t = tf.constant([1.0, 2.0, 3.0, 4.0])
    u = tf.constant([9.0, 8.0])
    with tf.GradientTape() as g:
        g.watch([t, u])
        y = tf.tensor_scatter_nd_update(t, [[1], [3]], u) * tf.constant([1.0, 2.0, 3.0, 4.0])
    return g.gradient(y, [t, u])


@snippet("outcome")
def tensor_scatter_nd_update_duplicate_indices(tf):
    t = tf.constant([1.0, 2.0, 3.0, 4.0])
    u = tf.constant([9.0, 8.0])
    with tf.GradientTape() as g:
        g.watch([t, u])
        y = tf.tensor_scatter_nd_update(t, [[1], [1]], u) * tf.constant([1.0, 2.0, 3.0, 4.0])
    return g.gradient(y, [t, u])


@snippet("outcome")
def tensor_scatter_nd_add_and_scatter_nd(tf):
    t = tf.constant([1.0, 2.0, 3.0, 4.0])
    u = tf.constant([9.0, 8.0])
    with tf.GradientTape() as g:
        g.watch([t, u])
        y = (tf.tensor_scatter_nd_add(t, [[0], [2]], u) + tf.scatter_nd([[3], [3]], u, [4])) \
            * tf.constant([1.0, 2.0, 3.0, 4.0])
    return g.gradient(y, [t, u])


@snippet("outcome")
def indexed_slices_aggregate(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(p)
        two = tf.gather(p, [0]) + tf.gather(p, [1])
        mixed = tf.reduce_sum(tf.gather(p, [2])) + tf.reduce_sum(p * 2.0)
    return [g.gradient(two, p), g.gradient(mixed, p)]


# -- python-function ops and losses ----------------------------------------------------------------

@snippet("outcome")
def py_function_with_tf_body(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
    return g.gradient(y, x)


@snippet("outcome")
def py_function_with_numpy_body(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.py_function(lambda a: np.maximum(a.numpy(), 0.0), [x], tf.float32)
    return [y, g.gradient(y, x)]


@snippet("outcome")
def numpy_function_gives_none(tf):
    x = tf.constant([-1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.numpy_function(lambda a: a * 3.0, [x], tf.float32)
    return g.gradient(y, x)


@snippet("outcome")
def softmax_cross_entropy_both_inputs(tf):
    logits = tf.constant([1.0, 2.0, 3.0])
    labels = tf.constant([0.0, 0.0, 1.0])
    with tf.GradientTape() as g:
        g.watch([logits, labels])
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return g.gradient(loss, [logits, labels])


@snippet("outcome")
def sigmoid_cross_entropy_large_logit(tf):
    logits = tf.constant([0.0, 100.0])
    with tf.GradientTape() as g:
        g.watch(logits)
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1.0, 0.0]),
                                                       logits=logits)
    return [loss, g.gradient(loss, logits)]
