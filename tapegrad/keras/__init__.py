"""``tf.keras``: the Keras 3 surfaces tapegrad provides, one submodule each; layers and models
load on first use."""
import importlib as _importlib

from . import losses, metrics, optimizers  # noqa: F401

_LAZY = {"layers": None, "models": None, "initializers": None, "activations": None,
         "Model": "models", "Sequential": "models", "Layer": "layers",
         "Initializer": "initializers"}
__all__ = sorted(set(_LAZY) | {"losses", "metrics", "optimizers"})


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'tapegrad.keras' has no attribute '{name}': tapegrad does "
                             f"not support tf.keras.{name} yet")
    module = _importlib.import_module(f"{__name__}.{_LAZY[name] or name}")
    value = module if _LAZY[name] is None else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
