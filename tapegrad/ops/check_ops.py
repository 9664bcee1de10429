"""``tf.debugging.check_numerics`` / ``assert_all_finite``: identity ops that raise on NaN/Inf,
in the forward value and in the gradient flowing back through them."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop
from .._core.tensor import convert_to_tensor


def _problem(v):
    nan, inf = bool(np.isnan(v).any()), bool(np.isinf(v).any())
    return "Inf and NaN" if nan and inf else "NaN" if nan else "Inf" if inf else None


@defop("CheckNumerics", dtypes=_dt.FLOATS)
def _check_numerics(x, *, message):
    problem = _problem(x)
    if problem:
        raise InvalidArgumentError(None, None, f"{message} : Tensor had {problem} values")
    return x


@_check_numerics.def_grad
def _check_numerics_grad(op, grad):
    """Identity, but the incoming gradient is checked too (a sparse one as dense, as in TF)."""
    grad = convert_to_tensor(grad)
    problem = _problem(grad._value)
    if problem:
        raise InvalidArgumentError(
            None, None, "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                        f"b'{op.get_attr('message')}' : Tensor had {problem} values")
    return _check_numerics(grad, message=op.get_attr("message"))


def check_numerics(tensor, message, name=None):
    """Returns ``tensor`` unchanged; raises InvalidArgumentError if it holds NaN or Inf."""
    return _check_numerics(convert_to_tensor(tensor), message=str(message))


def assert_all_finite(t, msg, name=None, x=None, message=None):
    return check_numerics(t if x is None else x, msg if message is None else message)
