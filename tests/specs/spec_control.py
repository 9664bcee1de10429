"""Specs for the gradient-shaping ops of ops/control_ops.py: custom_gradient (with correct
rules, so the check compares them with the true derivative), grad_pass_through over a function
whose derivative is the identity, recompute_grad, and py_function with a tapegrad body.

py_function is checked to first order only: as in TF, its gradient is computed by replaying an
internal tape inside another py_function, so a second derivative flows through the upstream
gradient alone (d2/dx2 of py_function(x**3) is None in TF too)."""
import tapegrad as tf
from grad_specs import binary, unary


@tf.custom_gradient
def _cube(a):
    def grad(dy):
        return dy * 3.0 * a * a
    return a * a * a, grad


@tf.custom_gradient
def _log1pexp(a):
    e = tf.math.exp(a)

    def grad(dy):
        return dy * (1.0 - 1.0 / (1.0 + tf.math.exp(a)))
    return tf.math.log(1.0 + e), grad


@tf.custom_gradient
def _prod_and_sum(a, b):
    def grad(d_prod, d_sum):
        return d_prod * b + d_sum, d_prod * a + d_sum
    return (a * b, a + b), grad


def _pair_sum(pair):
    return pair[0] + pair[1] * 2.0


def _py_cube(x):
    return tf.py_function(lambda a: a * a * a, [x], x.dtype)


def _py_two_outputs(x, y):
    out = tf.py_function(lambda a, b: (a * b, tf.math.tanh(a) + b), [x, y], [x.dtype, y.dtype])
    return out[0] + out[1] * 3.0


SPECS = [
    unary("custom_gradient_cube", _cube),
    unary("custom_gradient_log1pexp", _log1pexp, domain=(-3.0, 3.0)),
    binary("custom_gradient_two_outputs", lambda x, y: _pair_sum(_prod_and_sum(x, y))),
    unary("custom_gradient_unused_output", lambda x: _prod_and_sum(x, x * 0.5)[0]),
    unary("grad_pass_through", lambda x: tf.grad_pass_through(lambda a: a + 0.5)(x) * x),
    unary("recompute_grad", lambda x: tf.recompute_grad(lambda a: tf.math.tanh(a) * a)(x)),
    binary("recompute_grad_two_args",
           lambda x, y: tf.recompute_grad(lambda a, b: a * tf.math.tanh(b))(x, y)),
    unary("py_function", _py_cube, order=1),
    binary("py_function_two_outputs", _py_two_outputs, order=1),
]
