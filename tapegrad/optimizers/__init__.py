"""Optimizers with Keras 3 semantics (``tf.keras.optimizers``), on NumPy, plus Keras 2's
``minimize``. Their state is plain tapegrad Variables (``optimizer.variables``)."""
from . import schedules
from .adam import Adam, Adamax, AdamW, Nadam
from .ftrl import Ftrl
from .optimizer import Optimizer
from .rmsprop import Adadelta, Adagrad, RMSprop
from .sgd import SGD, Lion

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
           "Nadam", "Ftrl", "Lion", "schedules", "get", "serialize", "deserialize", "legacy"]

_CLASSES = {c.__name__.lower(): c for c in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta,
                                             Adamax, Nadam, Ftrl, Lion)}


def serialize(optimizer):
    """The Keras 3 serialization dict of an optimizer."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """An optimizer from ``serialize()``'s output (class names are matched case-insensitively)."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config.get("config", {}), custom_objects)


def get(identifier):
    """An optimizer from an instance, a name such as ``"adam"``, or a serialized dict."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _CLASSES:
        return _CLASSES[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


class _Legacy:
    """``tf.keras.optimizers.legacy``: Keras 3 has none; constructing one raises TF's error."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def unsupported(*args, **kwargs):
            raise ImportError(
                "`keras.optimizers.legacy` is not supported in Keras 3. When using `tf.keras`, "
                "to continue using a `tf.keras.optimizers.legacy` optimizer, you can install "
                "the `tf_keras` package (Keras 2) and set the environment variable "
                "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use `tf_keras` when "
                "accessing `tf.keras`.")
        return unsupported


legacy = _Legacy()
