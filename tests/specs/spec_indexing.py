"""Specs for ops/indexing_ops.py: slicing, gathers (dense and IndexedSlices gradients), scatters,
boolean_mask, IndexedSlices densification and autopacking."""
import tapegrad as tf
from grad_specs import GradSpec, binary, unary


def _densify(x):
    return tf.convert_to_tensor(tf.IndexedSlices(x * 2.0, tf.constant([1, 1, 0]),
                                                 tf.constant([4] + list(x.shape[1:]))))


SPECS = [
    unary("getitem_int", lambda x: x[1] * 2.0, shapes=[(3,), (2, 3)]),
    unary("getitem_negative_step", lambda x: x[::-2] * x[::-2], shapes=[(3,), (2, 3), (0,)]),
    unary("getitem_mixed", lambda x: x[..., None, 1:] * 3.0, shapes=[(3,), (2, 3)]),
    unary("getitem_newaxis_scalar", lambda x: x[None] * x, shapes=[()]),
    unary("getitem_elements", lambda x: x[1, -1] * x[0, 0], shapes=[(2, 3)]),
    unary("slice", lambda x: tf.slice(x, [1, 0], [1, -1]) * 2.0, shapes=[(2, 3), (3, 2)]),
    unary("strided_slice_masks",
          lambda x: tf.strided_slice(x, [0, 2], [0, 0], [1, -1], begin_mask=1, end_mask=3),
          shapes=[(2, 3)]),
    unary("gather_axis0", lambda x: tf.gather(x, [2, 0, 2]) * x[0], shapes=[(3,), (3, 2), (3, 0)]),
    unary("gather_no_indices", lambda x: tf.reduce_sum(tf.gather(x, tf.zeros([0], tf.int32)))
          + x * x, shapes=[(3,), (3, 2)]),
    unary("gather_axis1", lambda x: tf.gather(x, [[1, 0], [1, 1]], axis=1) * 2.0,
          shapes=[(2, 3)]),
    unary("gather_batch_dims", lambda x: tf.gather(x, [[1, 2], [0, 0]], axis=1, batch_dims=1),
          shapes=[(2, 3)]),
    unary("gather_after_exp", lambda x: tf.gather(tf.exp(x), [1, 1]), shapes=[(3,), (2, 3)]),
    unary("gather_nd_rows", lambda x: tf.gather_nd(x, [[1], [0], [1]]) * x[0],
          shapes=[(3,), (3, 2)]),  # TF refuses rows of an empty params
    unary("gather_nd_elements", lambda x: tf.gather_nd(x, [[0, 0], [1, 2], [0, 0]]) * 1.5,
          shapes=[(2, 3)]),
    unary("gather_nd_batch", lambda x: tf.gather_nd(x, [[2], [0]], batch_dims=1),
          shapes=[(2, 3)]),
    unary("scatter_nd", lambda x: tf.scatter_nd([[1], [1], [0]], x, [4] + list(x.shape[1:])),
          shapes=[(3,), (3, 2)]),  # TF refuses indices into an empty output
    unary("scatter_nd_no_updates", lambda x: tf.scatter_nd(tf.zeros([0, 1], tf.int32), x * x,
                                                           [4] + list(x.shape[1:])),
          shapes=[(0,), (0, 2)]),
    binary("tensor_scatter_nd_update",
           lambda t, u: tf.tensor_scatter_nd_update(t * t, [[1], [3]], u * u),
           shapes=[((4,), (2,)), ((4, 2), (2, 2))]),
    binary("tensor_scatter_nd_add",
           lambda t, u: tf.tensor_scatter_nd_add(t * t, [[1], [1]], u * u),
           shapes=[((4,), (2,)), ((4, 2), (2, 2))]),
    binary("tensor_scatter_nd_sub",
           lambda t, u: tf.tensor_scatter_nd_sub(t * t, [[0, 1], [0, 1]], u * u),
           shapes=[((2, 2), (2,))]),
    binary("tensor_scatter_nd_max",
           lambda t, u: tf.tensor_scatter_nd_max(t, [[1], [3], [1]], u) * t,
           shapes=[((4,), (3,)), ((4, 2), (3, 2))]),
    binary("tensor_scatter_nd_min",
           lambda t, u: tf.tensor_scatter_nd_min(t, [[1], [3], [1]], u) * t,
           shapes=[((4,), (3,)), ((4, 2), (3, 2))]),
    binary("tensor_scatter_nd_no_updates", lambda t, u: [
        f(t * t, tf.zeros([0, 1], tf.int32), u) for f in (
            tf.tensor_scatter_nd_update, tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_sub,
            tf.tensor_scatter_nd_max, tf.tensor_scatter_nd_min)],
        shapes=[((4,), (0,)), ((4, 2), (0, 2))]),
    unary("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True]) * x[0],
          shapes=[(3,), (3, 2), (3, 0)]),
    unary("boolean_mask_axis1", lambda x: tf.boolean_mask(x * x, [False, True, True], axis=1),
          shapes=[(2, 3)]),
    unary("getitem_bool_tensor", lambda x: x[x > 0] * 2.0, shapes=[(3,)]),
    unary("indexed_slices_densify", _densify, shapes=[(3,), (3, 2)]),
    unary("pack", lambda x: tf.convert_to_tensor([x[0] * 2.0, x[1] * x[1], 3.0]),
          shapes=[(3,)]),
    unary("pack_nested", lambda x: tf.convert_to_tensor([[x[0], 2.0], [x[1] * x[0], x[1]]]),
          shapes=[(2,)]),
    GradSpec("gather_twice_indexed_slices_sum",
             lambda x: tf.gather(x, [0]) * tf.gather(x, [1, 1]) + x[1:], [((3, 2),)]),
]
