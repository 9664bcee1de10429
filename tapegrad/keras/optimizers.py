"""``tf.keras.optimizers``: the same objects as ``tapegrad.optimizers``."""
import sys as _sys

from ..optimizers import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lion,  # noqa: F401
                          Nadam, Optimizer, RMSprop, deserialize, get, legacy, schedules,
                          serialize)

# `import tapegrad.keras.optimizers.schedules` works as with tf.keras.
_sys.modules[__name__ + ".schedules"] = schedules
