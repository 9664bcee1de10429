"""``tf.compat.v1`` in eager mode: what TF1-style programs call, behaving as TF 2.21 does
eagerly (tf_semantics.md 6.7). Other names fall back to tapegrad's top level, as most of
``tf.compat.v1`` mirrors ``tf``."""
from . import train  # noqa: F401

_SESSION_MESSAGE = (
    "The Session graph is empty. Add operations to the graph before calling run(). "
    "TensorFlow 2 runs ops eagerly: there is no graph to run, so drop the Session and "
    "global_variables_initializer(), call the code directly and read results with .numpy() "
    "(wrap a training step in a function, optionally decorated with tf.function).")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """``ref.assign(value)``: the variable itself (an UnreadVariable), as TF returns eagerly."""
    return ref.assign(value)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value)


def global_variables_initializer():
    """None in eager mode: variables are initialised when created."""
    return None


def local_variables_initializer():
    return None


def tables_initializer(name="init_all_tables"):
    return None


initialize_all_variables = global_variables_initializer


def reset_default_graph():
    """Starts a new default graph; eagerly, what that forgets is the graph's global step
    (the next get_or_create_global_step() makes a new one at 0), as TF does."""
    train._GLOBAL_STEP.clear()


def executing_eagerly():
    return True


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    return None


def placeholder(dtype, shape=None, name=None):
    raise RuntimeError("tf.placeholder() is not compatible with eager execution.")


class Session:
    """A TF1 Session over the empty default graph: ``run`` raises TF's RuntimeError."""

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        raise RuntimeError(_SESSION_MESSAGE)

    def close(self):
        pass

    def as_default(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


InteractiveSession = Session


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    import tapegrad
    try:
        return getattr(tapegrad, name)
    except AttributeError:
        raise AttributeError(f"module 'tapegrad.compat.v1' has no attribute '{name}'") from None
