"""``tf.keras``: the Keras 3 surfaces tapegrad provides, one submodule each."""
from . import losses, metrics, optimizers  # noqa: F401
