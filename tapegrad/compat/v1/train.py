"""``tf.compat.v1.train``: the v1 optimizers (eager mode) and the global step."""
from ..._core import dtypes as _dt
from ..._core.variables import Variable
from ._optimizer import Optimizer  # noqa: F401
from ._optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,  # noqa: F401
                          FtrlOptimizer, GradientDescentOptimizer, MomentumOptimizer,
                          RMSPropOptimizer)

_GLOBAL_STEP = []  # the one global step of the (single, eager) default graph


def get_global_step(graph=None):
    """The global step variable, or None if none was created."""
    return _GLOBAL_STEP[0] if _GLOBAL_STEP else None


def create_global_step(graph=None):
    """Creates the int64 ``global_step`` variable (ValueError if it exists)."""
    if _GLOBAL_STEP:
        raise ValueError('"global_step" already exists.')
    _GLOBAL_STEP.append(Variable(0, dtype=_dt.int64, trainable=False, name="global_step"))
    return _GLOBAL_STEP[0]


def get_or_create_global_step(graph=None):
    """The global step variable, created (int64, 0) on first use."""
    step = get_global_step()
    return create_global_step() if step is None else step
