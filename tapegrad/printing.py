"""``tf.print``: prints tensors (and Python structures holding them) in TF 2.21's text.

Tensors print as TF's PrintV2 kernel prints them: nested brackets, elements joined by spaces,
long dimensions cut to ``summarize`` elements at each end around "...", floats with the fewest
of 6 (float32) or 15 (float64) significant digits that read back to the same value, else 9 or 17.
Everything else prints as ``pprint.pformat`` shows it, with each tensor's text in its place;
a Python string argument prints as it is.
"""
import pprint
import sys

import numpy as np

from ._core import nest
from ._core.errors import NotFoundError
from ._core.tensor import Tensor, convert_to_tensor

# the streams as they were at import: ``output_stream=sys.stderr`` was evaluated then
_STDOUT, _STDERR = sys.stdout, sys.stderr


def _is_tensor_like(x):
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False)


# -- one element --------------------------------------------------------------------------------

def _float_text(x, np_type, digits, more):
    x = np_type(x)
    if np.isnan(x):
        return "-nan" if np.signbit(x) else "nan"   # C's printf keeps the sign of a NaN
    if x != 0 and abs(x) < np.finfo(np_type).tiny:
        x = np_type(-0.0) if x < 0 else np_type(0.0)   # the kernel runs with denormals flushed
    text = "%.*g" % (digits, x)
    if np_type(text) != x:   # too few digits to read back the same value
        text = "%.*g" % (more, x)
    return text


def _element_text(x, kind):
    if kind == "b":
        return "1" if x else "0"
    if kind in "iu":
        return str(int(x))
    if kind == "f":
        if x.dtype == np.float64:
            return _float_text(x, np.float64, 15, 17)
        return _float_text(x, np.float32, 6, 9)   # float16 prints as the float32 it widens to
    return "?"   # TF prints complex (and other) elements as "?"


# -- one tensor ---------------------------------------------------------------------------------

def _spacing(level, ndim):
    """What separates two items of dimension ``level``: a space in the last dimension, else
    one newline per dimension below it and an indent past the open brackets."""
    if level == ndim - 1:
        return " "
    return "\n" * (ndim - level - 1) + " " * (level + 1)


def _dim_text(a, level, ndim, ends, kind):
    if level == ndim:
        return _element_text(a, kind)
    count = a.shape[0]
    sep = _spacing(level, ndim)
    head = [_dim_text(a[i], level + 1, ndim, ends, kind) for i in range(min(ends, count))]
    out = "[" + sep.join(head)
    if count > 2 * ends:
        out += sep + "..."
    for i in range(max(ends, count - ends), count):
        out += sep + _dim_text(a[i], level + 1, ndim, ends, kind)
    return out + "]"


def tensor_text(value, summarize=3):
    """The text tf.print shows for a Tensor or Variable."""
    if not isinstance(value, Tensor):
        value = convert_to_tensor(value)   # a read: recording tapes watch the variable, as in TF
    a = np.asarray(value.numpy())
    n = a.size
    # TF cuts every dimension at min(summarize, number of elements) items per end.
    ends = n if summarize < 0 else min(summarize, n)
    if a.ndim == 0:
        return _element_text(a[()], a.dtype.kind) if ends else "..."
    return _dim_text(a, 0, a.ndim, ends, a.dtype.kind)


# -- tf.print -----------------------------------------------------------------------------------

def _format(inputs, sep, summarize):
    tensors = []
    free = [nest.map_structure(lambda x: "" if _is_tensor_like(x) else x, i) for i in inputs]
    # A token that no argument's text contains stands for each tensor while pprint lays the
    # structures out (so line breaks fall where TF's fall), then gives way to the tensor's text.
    ph, taken = "{}", " ".join(pprint.pformat(x) for x in free) + sep
    while ph in taken:
        ph += "0"
    templates = []
    for item in inputs:
        if isinstance(item, str):
            templates.append(item)
            continue
        flat = nest.flatten(item)
        tensors += [x for x in flat if _is_tensor_like(x)]
        marked = [ph if _is_tensor_like(x) else x for x in flat]
        templates.append(pprint.pformat(nest.pack_sequence_as(item, marked)))
    pieces = sep.join(templates).replace(repr(ph), ph).split(ph)
    out = [pieces[0]]
    for tensor, piece in zip(tensors, pieces[1:]):
        out += [tensor_text(tensor, summarize), piece]
    return "".join(out)


def _stream_write(output_stream, text):
    if output_stream is sys.stdout or output_stream is _STDOUT:
        stream = sys.stdout   # where stdout goes now (contextlib.redirect_stdout, capsys ...)
    elif output_stream is sys.stderr or output_stream is _STDERR:
        stream = sys.stderr
    elif isinstance(output_stream, str) and output_stream.startswith("file://"):
        path = output_stream[len("file://"):]
        try:
            with open(path, "a") as f:   # TF appends
                f.write(text)
        except FileNotFoundError:   # the error type TF's kernel raises
            raise NotFoundError(None, None, f"{path}; No such file or directory "
                                            f"[Op:PrintV2]") from None
        return
    else:
        raise ValueError(
            f"Unsupported output stream, logging level, or file.{output_stream}. Supported "
            f"streams are sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, "
            f"tf.logging.error. File needs to be in the form of 'file://<filepath>'.")
    stream.write(text)
    stream.flush()   # TF's kernel writes at once; keep the order with other output


def print_v2(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\n", name=None,
             **kwargs):
    """Prints ``inputs`` joined by ``sep`` and followed by ``end``, as TF's ``tf.print``.

    ``output_stream`` is ``sys.stderr`` (default), ``sys.stdout`` (written through Python's
    current ``sys.stdout``, so ``contextlib.redirect_stdout`` catches it; TF writes to the
    process's file descriptor instead) or ``"file://PATH"`` (appended to). TF's logging levels
    (``tf.compat.v1.logging.info`` ...) are not supported. ``summarize`` is how many elements of
    each dimension print at each end (None: 3; negative: all). Returns None (tapegrad is eager).
    """
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    if summarize is None:
        summarize = 3
    elif isinstance(summarize, (int, float, np.integer, np.floating)):
        summarize = int(summarize)
    else:
        raise TypeError(f"Expected int for argument 'summarize' not {summarize!r}.")
    _stream_write(output_stream, _format(inputs, sep, summarize) + end)
