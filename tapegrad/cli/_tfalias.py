"""``import tensorflow`` resolved to tapegrad (``tapegrad doctor --tensorflow`` and the demo's
pitfall programs).

``tensorflow`` and every ``tensorflow.X`` become read-only views of ``tapegrad`` and
``tapegrad.X``: attributes are tapegrad's own objects, and a name tapegrad lacks raises an
error that names the TF API and says it is not supported yet (an AttributeError for
``tf.X``, a ModuleNotFoundError for ``import tensorflow.X``), so ``hasattr`` and ``except
ImportError`` fallbacks in the script still work.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types


def _tf_name(tapegrad_name):
    return "tf" + tapegrad_name[len("tapegrad"):]


class TFModule(types.ModuleType):
    """A view of a tapegrad module under its TensorFlow name."""

    def __init__(self, target, name):
        super().__init__(name, getattr(target, "__doc__", None))
        self.__dict__["_tapegrad_module"] = target

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        target = self.__dict__["_tapegrad_module"]
        try:
            value = getattr(target, attr)
        except AttributeError:
            value = None
            if isinstance(target, types.ModuleType):
                try:  # an unimported submodule (tapegrad.compat.v1.train ...)
                    value = importlib.import_module(f"{target.__name__}.{attr}")
                except ImportError:
                    value = None
            if value is None:
                raise AttributeError(
                    f"module '{self.__name__}' has no attribute '{attr}': tapegrad does not "
                    f"support {_tf_name(target.__name__)}.{attr} yet") from None
        if isinstance(value, types.ModuleType) and value.__name__.startswith("tapegrad"):
            value = view(value)
        self.__dict__[attr] = value   # cache: later lookups are plain attribute reads
        return value

    def __dir__(self):
        return dir(self.__dict__["_tapegrad_module"])

    def __repr__(self):
        return f"<module '{self.__name__}' (tapegrad's {self._tapegrad_module.__name__})>"


_views = {}


def view(module):
    """The TFModule standing for a tapegrad module (one per module)."""
    v = _views.get(module.__name__)
    if v is None:
        name = "tensorflow" + module.__name__[len("tapegrad"):]
        v = _views[module.__name__] = TFModule(module, name)
    return v


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" or name.startswith("tensorflow."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        target = "tapegrad" + spec.name[len("tensorflow"):]
        try:
            return view(importlib.import_module(target))
        except ImportError:
            raise ModuleNotFoundError(
                f"No module named '{spec.name}': tapegrad does not support "
                f"{_tf_name(target)} yet") from None  # no name=: `from tensorflow.X import Y`
                                                    # would swallow it into a vaguer error

    def is_package(self, name):   # every view may have submodules (tensorflow.keras.optimizers)
        return True

    def exec_module(self, module):
        pass


class tensorflow_alias:
    """Context manager: inside it ``import tensorflow`` (and ``tensorflow.X``) gives tapegrad;
    on exit the import system is as it was."""

    def __enter__(self):
        self._saved = {n: m for n, m in sys.modules.items() if _is_tf(n)}
        for n in self._saved:
            del sys.modules[n]
        self._finder = _Finder()
        sys.meta_path.insert(0, self._finder)
        return self

    def __exit__(self, *exc):
        sys.meta_path.remove(self._finder)
        for n in [n for n in sys.modules if _is_tf(n)]:
            del sys.modules[n]
        sys.modules.update(self._saved)
        return False


def _is_tf(name):
    return name == "tensorflow" or name.startswith("tensorflow.")
