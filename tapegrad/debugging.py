"""``tf.debugging``: numerics checks and gradient reports."""
from .diagnostics.numerics import disable_check_numerics, enable_check_numerics  # noqa: F401
from .diagnostics.report import gradient_report  # noqa: F401
from .ops.check_ops import assert_all_finite, check_numerics  # noqa: F401

