"""The public API as tables: each public name -> "module:attribute" where it is implemented.

Namespaces (``tapegrad``, ``tapegrad.math``, ``tapegrad.nn`` ...) resolve names from these
tables on first use (PEP 562), so the table is the one list of what tapegrad covers: the README's
compatibility table is generated from it, and a TF name that is not here raises an
AttributeError that says tapegrad does not support it yet.
"""
import importlib

M = "tapegrad.ops.math_ops"
U = "tapegrad.ops.unary_ops"
B = "tapegrad.ops.binary_ops"
R = "tapegrad.ops.reduction_ops"
A = "tapegrad.ops.array_ops"
C = "tapegrad.ops.creation_ops"
I = "tapegrad.ops.indexing_ops"  # noqa: E741
L = "tapegrad.ops.linalg_ops"
N = "tapegrad.ops.nn_ops"
K = "tapegrad.ops.clip_ops"
S = "tapegrad.ops.sort_ops"
X = "tapegrad.ops.control_ops"
Q = "tapegrad.ops.comparison_ops"


def _t(module, names):
    return {n: f"{module}:{n}" for n in names.split()}


MATH = {}
MATH.update(_t(M, "add subtract multiply divide truediv floordiv floormod mod pow negative "
                  "exp log tanh square sqrt conj real"))
MATH.update(_t(U, "abs sign rsqrt expm1 log1p sin cos tan asin acos atan sinh cosh asinh acosh "
                  "atanh sigmoid softplus softsign erf erfc lgamma digamma reciprocal floor ceil "
                  "round rint is_nan is_finite is_inf imag polygamma"))
MATH.update(_t(B, "atan2 maximum minimum squared_difference xlogy xdivy divide_no_nan "
                  "multiply_no_nan add_n cumsum cumprod"))
MATH.update(_t(R, "reduce_sum reduce_mean reduce_max reduce_min reduce_prod reduce_logsumexp "
                  "reduce_variance reduce_std reduce_any reduce_all count_nonzero argmax argmin"))
MATH.update(_t(Q, "equal not_equal less less_equal greater greater_equal logical_and logical_or "
                  "logical_not logical_xor"))
MATH.update(_t(S, "top_k"))
SEG = "tapegrad.ops.segment_ops"
MATH.update(_t(SEG, "segment_sum segment_mean segment_max segment_min segment_prod "
                    "unsorted_segment_sum unsorted_segment_mean unsorted_segment_max "
                    "unsorted_segment_min unsorted_segment_prod unsorted_segment_sqrt_n"))
MATH["bincount"] = "tapegrad.ops.count_ops:bincount"
MATH["log_sigmoid"] = f"{N}:log_sigmoid"
MATH["l2_normalize"] = f"{N}:l2_normalize"
MATH["softplus"] = f"{U}:softplus"
MATH["negative"] = f"{M}:negative"

LINALG = _t(L, "matmul tensordot einsum matrix_transpose norm trace diag_part det inv")
LINALG["l2_normalize"] = f"{N}:l2_normalize"

NN = _t(N, "relu relu6 leaky_relu elu selu gelu silu swish softmax log_softmax l2_loss "
           "l2_normalize moments dropout bias_add embedding_lookup")
NN.update(_t("tapegrad.ops.xent_ops", "softmax_cross_entropy_with_logits "
             "sparse_softmax_cross_entropy_with_logits sigmoid_cross_entropy_with_logits "
             "weighted_cross_entropy_with_logits"))
NN.update({"sigmoid": f"{U}:sigmoid", "tanh": f"{M}:tanh", "softplus": f"{U}:softplus",
           "softsign": f"{U}:softsign"})

TOP = {}
TOP.update({k: v for k, v in MATH.items() if k in (
    "add subtract multiply divide truediv pow negative exp sqrt square abs sign sigmoid tanh "
    "cos sin tan acos asin atan atan2 cosh sinh asinh acosh atanh maximum minimum equal "
    "not_equal less less_equal greater greater_equal logical_and logical_or logical_not "
    "reduce_sum reduce_mean reduce_max reduce_min reduce_prod reduce_logsumexp reduce_any "
    "reduce_all argmax argmin add_n cumsum floor round").split()})
TOP.update(_t(M, "cast"))
TOP.update(_t(C, "constant zeros ones fill zeros_like ones_like range linspace eye shape size "
                 "rank"))
TOP.update(_t(A, "reshape transpose expand_dims squeeze concat stack unstack split "
                 "broadcast_to one_hot where identity"))
TOP.update(_t("tapegrad.ops.tile_ops", "tile pad reverse roll"))
TOP.update(_t(I, "slice strided_slice gather boolean_mask"))
TOP.update(_t("tapegrad.ops.scatter_ops", "gather_nd scatter_nd tensor_scatter_nd_update "
              "tensor_scatter_nd_add tensor_scatter_nd_sub tensor_scatter_nd_max "
              "tensor_scatter_nd_min"))
TOP.update(_t(S, "sort argsort unique"))
TOP.update(_t(SEG, "dynamic_partition dynamic_stitch"))
TOP.update(_t("tapegrad.ops.count_ops", "searchsorted histogram_fixed_width"))
TOP.update(_t(K, "clip_by_value clip_by_norm clip_by_global_norm"))
TOP.update(_t(L, "matmul tensordot einsum norm"))
TOP.update(_t(X, "stop_gradient custom_gradient py_function numpy_function grad_pass_through "
                 "recompute_grad"))
TOP["convert_to_tensor"] = "tapegrad._core.tensor:convert_to_tensor"
TOP["Tensor"] = "tapegrad._core.tensor:Tensor"
TOP["TensorShape"] = "tapegrad._core.tensor:TensorShape"
TOP["IndexedSlices"] = "tapegrad._core.tensor:IndexedSlices"
TOP["Variable"] = "tapegrad._core.variables:Variable"
TOP["GradientTape"] = "tapegrad._core.tape:GradientTape"
TOP["UnconnectedGradients"] = "tapegrad._core.tape:UnconnectedGradients"
TOP["RegisterGradient"] = "tapegrad._core.registry:RegisterGradient"
TOP["no_gradient"] = "tapegrad._core.registry:no_gradient"
TOP["NotDifferentiable"] = "tapegrad._core.registry:NotDifferentiable"
TOP["as_dtype"] = "tapegrad._core.dtypes:as_dtype"
TOP["DType"] = "tapegrad._core.dtypes:DType"
LINALG["global_norm"] = f"{K}:global_norm"
TOP["Module"] = "tapegrad.module:Module"
TOP["function"] = "tapegrad.tf_function:function"
TOP["TensorSpec"] = "tapegrad.tensor_spec:TensorSpec"
TOP["print"] = "tapegrad.printing:print_v2"
for _d in ("float16 half float32 float64 double int8 int16 int32 int64 uint8 uint16 uint32 "
           "uint64 bool complex64 complex128").split():
    TOP[_d] = f"tapegrad._core.dtypes:{_d}"

ERRORS = {n: f"tapegrad._core.errors:{n}" for n in (
    "OpError CancelledError UnknownError InvalidArgumentError DeadlineExceededError "
    "NotFoundError AlreadyExistsError PermissionDeniedError ResourceExhaustedError "
    "FailedPreconditionError AbortedError OutOfRangeError UnimplementedError InternalError "
    "UnavailableError DataLossError UnauthenticatedError DisconnectedGradientError").split()}

RANDOM = _t("tapegrad.ops.random_ops", "set_seed normal uniform truncated_normal shuffle Generator "
                                   "categorical")

AUTODIFF = {"ForwardAccumulator": "tapegrad._core.forwardprop:ForwardAccumulator",
            "GradientTape": "tapegrad._core.tape:GradientTape"}

FN = "tapegrad.tf_function"
CONFIG = _t(FN, "run_functions_eagerly functions_run_eagerly")
CONFIG.update(experimental_run_functions_eagerly=f"{FN}:run_functions_eagerly",
              experimental_functions_run_eagerly=f"{FN}:functions_run_eagerly")

NAMESPACES = {"tapegrad": TOP, "tapegrad.math": MATH, "tapegrad.linalg": LINALG,
              "tapegrad.nn": NN, "tapegrad.errors": ERRORS, "tapegrad.random": RANDOM,
              "tapegrad.autodiff": AUTODIFF, "tapegrad.config": CONFIG}


def resolve(namespace, name):
    """Import the object a public name stands for; AttributeError if tapegrad lacks it."""
    target = NAMESPACES[namespace].get(name)
    if target is None:
        raise AttributeError(
            f"module '{namespace}' has no attribute '{name}': tapegrad does not support "
            f"{namespace.replace('tapegrad', 'tf')}.{name} yet")
    module, attr = target.split(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as e:
        raise AttributeError(f"{namespace.replace('tapegrad', 'tf')}.{name} is listed but not "
                             f"implemented yet ({e})") from None


def install(module_globals, namespace):
    """Give a namespace module PEP 562 ``__getattr__``/``__dir__`` over its table."""
    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = resolve(namespace, name)
        module_globals[name] = value  # cache: later lookups are plain module attributes
        return value

    def __dir__():
        return sorted(set(module_globals) | set(NAMESPACES[namespace]))
    module_globals["__getattr__"] = __getattr__
    module_globals["__dir__"] = __dir__
