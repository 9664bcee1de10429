"""``tf.Module``: a container whose variables and submodules are found through its attributes,
as TF finds them (attributes in sorted name order, walking lists, tuples and dicts)."""
import contextlib
import re

from ._core.variables import Variable

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/>]*$")


def _camel_to_snake(name):
    """MyMLPModel -> my_mlp_model (an underscore before a word start, acronyms kept whole)."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class Module:
    """Base class for models and layers: ``variables``, ``trainable_variables``,
    ``submodules`` are discovered from attributes; each object is listed once."""

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)  # not uniquified, as in TF eager
        elif not _NAME_RE.match(name):
            raise ValueError(f"'{name}' is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def name_scope(self):
        return contextlib.nullcontext(self._name + "/")

    @property
    def variables(self):
        return tuple(self._flatten(lambda o: isinstance(o, Variable)))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(lambda o: isinstance(o, Variable) and o.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(lambda o: isinstance(o, Variable) and not o.trainable))

    @property
    def submodules(self):
        return tuple(self._flatten(lambda o: isinstance(o, Module)))

    def _flatten(self, predicate, recursive=True):
        """Attributes in sorted name order; a submodule's contents come after all of its
        parent's attributes, depth first (TF's module traversal order); each object once."""
        out, seen = [], {id(self)}

        def visit(mod):
            subs = []
            for key in sorted(vars(mod)):
                if key == "_name":
                    continue
                for leaf in _leaves(vars(mod)[key]):
                    if id(leaf) in seen:
                        continue
                    seen.add(id(leaf))
                    if predicate(leaf):
                        out.append(leaf)
                    if isinstance(leaf, Module):
                        subs.append(leaf)
            if recursive:
                for sub in subs:
                    visit(sub)
        visit(self)
        return out

    def _checkpoint_children(self):
        """name -> trackable child (Variables, Modules, optimizers ...), for checkpoints."""
        children = {}
        for key in sorted(vars(self)):
            if key == "_name":
                continue
            _collect(key, vars(self)[key], children)
        return children

    @classmethod
    def with_name_scope(cls, method):
        return method

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object named {self._name!r}>"


def _leaves(value, depth=0):
    if depth > 50:
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v, depth + 1)
    elif isinstance(value, dict):
        for k in sorted(value, key=str):
            yield from _leaves(value[k], depth + 1)
    else:
        yield value


def _collect(prefix, value, out):
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _collect(f"{prefix}/{i}", v, out)
    elif isinstance(value, dict):
        for k in sorted(value, key=str):
            _collect(f"{prefix}/{k}", value[k], out)
    elif isinstance(value, Variable) or hasattr(value, "_checkpoint_children"):
        out[prefix] = value
