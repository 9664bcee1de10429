"""Encode results as JSON-able data and compare two encodings.

The same ``encode`` runs on TensorFlow's results (when fixtures are generated) and on
tapegrad's (in the tests), so it only duck-types: a tensor is anything with ``numpy()`` and
``dtype``; classes are told apart by the names in their MRO.
"""
import dataclasses
from typing import Callable, Optional

import numpy as np

# -- snippet registry ---------------------------------------------------------------------------

SNIPPETS = {}


@dataclasses.dataclass
class Snippet:
    name: str
    group: str
    fn: Callable
    msg: bool = True            # compare the exception message prefix, not only its type
    rtol: Optional[float] = None
    atol: Optional[float] = None
    note: str = ""
    deliberate: Optional["Deliberate"] = None


@dataclasses.dataclass
class Deliberate:
    """A difference from TF that tapegrad keeps on purpose: TF's recorded outcome must still be
    ``tf`` and tapegrad's must be ``tapegrad`` (both plain values or exceptions, encoded with
    ``encode``); ``why`` says why."""
    tf: object
    tapegrad: object
    why: str


def snippet(group, msg=True, rtol=None, atol=None, note="", deliberate=None):
    """Register ``def name(tf): ...`` under ``group``; names are unique across modules."""
    def deco(fn):
        if fn.__name__ in SNIPPETS:
            raise ValueError(f"duplicate snippet name {fn.__name__}")
        SNIPPETS[fn.__name__] = Snippet(fn.__name__, group, fn, msg, rtol, atol, note,
                                        deliberate)
        return fn
    return deco


def outcome(thunk):
    """Run ``thunk()``; return its result, or the exception it raised (encoded as an error)."""
    try:
        return thunk()
    except Exception as e:  # noqa: BLE001 - recording the exception is the point
        return e


def kind(obj):
    """A library-neutral class name: 'variable', 'tensor', 'indexed_slices', or the type name."""
    names = _mro(obj)
    if "IndexedSlices" in names:
        return "indexed_slices"
    if any("Variable" in n for n in names):
        return "variable"
    if hasattr(obj, "numpy") and hasattr(obj, "dtype"):
        return "tensor"
    return type(obj).__name__


def run_snippet(fn, tf):
    """Encoded result of ``fn(tf)``; an exception escaping it is the result."""
    return encode(outcome(lambda: fn(tf)))


# -- encoding -----------------------------------------------------------------------------------

def _mro(obj):
    return [c.__name__ for c in type(obj).__mro__]


def _dtype_name(dt):
    name = getattr(dt, "name", None)
    return name if isinstance(name, str) else np.dtype(dt).name


def _floats(a, np_dtype):
    """Shortest decimal that reads back to the same value in ``np_dtype`` (small JSON)."""
    if a.dtype == np.float64:
        return a.tolist()
    flat = [float(str(np_dtype(v))) for v in a.ravel()]
    return np.array(flat, dtype=object).reshape(a.shape).tolist() if a.ndim else flat[0]


def encode_array(a, dtype_name, kind_="tensor"):
    a = np.asarray(a)
    if a.dtype.kind == "c":
        part = np.float32 if a.dtype == np.complex64 else np.float64
        v = {"re": _floats(a.real.astype(part), part), "im": _floats(a.imag.astype(part), part)}
    elif a.dtype.kind == "f":
        v = _floats(a, a.dtype.type)
    elif a.dtype.kind in "SUO":
        v = np.vectorize(lambda s: s.decode() if isinstance(s, bytes) else str(s),
                         otypes=[object])(a).tolist()
    else:
        v = a.tolist()
    return {"t": "array", "kind": kind_, "dtype": dtype_name, "shape": list(a.shape), "v": v}


def encode_error(e):
    text = str(e).strip()
    first = text.splitlines()[0] if text else ""
    return {"t": "error", "type": type(e).__name__, "mro": _mro(e), "msg": first}


def encode(obj):
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return obj
    if isinstance(obj, complex):
        return {"t": "complex", "re": obj.real, "im": obj.imag}
    if isinstance(obj, BaseException):
        return encode_error(obj)
    if isinstance(obj, list):
        return [encode(o) for o in obj]
    if "TensorShape" in _mro(obj):  # before tuple: tapegrad's TensorShape subclasses tuple
        return {"t": "shape", "dims": [None if d is None else int(d) for d in obj]}
    if isinstance(obj, tuple):
        return {"t": "tuple", "items": [encode(o) for o in obj]}
    if isinstance(obj, dict):
        return {"t": "dict", "items": {str(k): encode(v) for k, v in obj.items()}}
    if isinstance(obj, (np.ndarray, np.generic)):
        return encode_array(obj, obj.dtype.name, "ndarray")
    names = _mro(obj)
    if "IndexedSlices" in names:
        ds = obj.dense_shape
        ds = None if ds is None else [int(d) for d in np.asarray(ds).reshape(-1)]
        return {"t": "indexed_slices", "values": encode(obj.values),
                "indices": encode(obj.indices), "dense_shape": ds}
    if "DType" in names:
        return {"t": "dtype", "name": obj.name}
    if hasattr(obj, "numpy") and hasattr(obj, "dtype"):
        return encode_array(obj.numpy(), _dtype_name(obj.dtype), kind(obj))
    if hasattr(obj, "value") and "Enum" in names:
        return {"t": "enum", "v": obj.value}
    return {"t": "object", "type": type(obj).__name__}


def decode_array(enc):
    """Back to a NumPy array (inputs and weights stored in the op fixtures)."""
    v = enc["v"]
    dt = np.dtype(enc["dtype"])
    if dt.kind == "c":
        return (np.array(v["re"], np.float64) + 1j * np.array(v["im"], np.float64)).astype(dt)
    return np.array(v, dtype=dt).reshape(enc["shape"])


# -- comparison ---------------------------------------------------------------------------------

TOLERANCES = {"float16": (1e-3, 1e-3), "bfloat16": (1e-2, 1e-2), "float32": (2e-5, 1e-6),
              "complex64": (2e-5, 1e-6), "float64": (1e-9, 1e-12),
              "complex128": (1e-9, 1e-12)}


class Mismatch(AssertionError):
    pass


def _values(enc):
    v = enc["v"]
    if isinstance(v, dict):
        return np.array(v["re"], np.float64) + 1j * np.array(v["im"], np.float64)
    return np.array(v, dtype=object if enc["dtype"] in ("string",) else None)


def _close(exp, act, rtol, atol):
    exp = np.asarray(exp)
    act = np.asarray(act)
    if exp.dtype.kind in "fc" or act.dtype.kind in "fc":
        exp, act = exp.astype(complex), act.astype(complex)
        for part in (np.real, np.imag):
            e, a = part(exp), part(act)
            same_nan = np.isnan(e) == np.isnan(a)
            ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True) & same_nan
            inf = np.isinf(e) | np.isinf(a)
            ok = np.where(inf, e == a, ok)
            if not ok.all():
                return False
        return True
    return exp.shape == act.shape and bool(np.all(exp == act))


def compare(exp, act, rtol=None, atol=None, msg=True, path="result"):
    """Raise Mismatch describing the first difference between two encodings.

    rtol/atol (when given) replace the per-dtype defaults; ``msg`` compares exception messages
    by prefix (tapegrad may add text after TF's first line).
    """
    def fail(why):
        raise Mismatch(f"{path}: {why}\n  TF:       {_short(exp)}\n  tapegrad: {_short(act)}")

    if isinstance(exp, dict) and exp.get("t") == "error":
        if not (isinstance(act, dict) and act.get("t") == "error"):
            fail("TF raised, tapegrad did not")
        if exp["type"] not in act["mro"]:
            fail(f"exception type {act['type']} is not a {exp['type']}")
        if msg and not act["msg"].startswith(exp["msg"]):
            fail("exception message does not start with TF's")
        return
    if isinstance(act, dict) and act.get("t") == "error":
        fail(f"tapegrad raised {act['type']}: {act['msg']}")
    if exp is None or act is None:
        if exp is not act:
            fail("None vs a value")
        return
    if isinstance(exp, bool) or isinstance(act, bool):
        if type(exp) is not type(act) or exp != act:
            fail("bool differs")
        return
    if isinstance(exp, (int, float)) and isinstance(act, (int, float)):
        if type(exp) is not type(act):
            fail(f"Python type {type(act).__name__}, TF gives {type(exp).__name__}")
        r, a = TOLERANCES["float64"] if rtol is None else (rtol, atol or 0.0)
        if not _close(exp, act, r, a):
            fail("number differs")
        return
    if isinstance(exp, str):
        if exp != act:
            fail("string differs")
        return
    if isinstance(exp, list):
        if not isinstance(act, list) or len(exp) != len(act):
            fail("list length/type differs")
        for i, (e, a) in enumerate(zip(exp, act)):
            compare(e, a, rtol, atol, msg, f"{path}[{i}]")
        return
    if not isinstance(act, dict) or act.get("t") != exp.get("t"):
        fail("different kind of value")
    t = exp["t"]
    if t == "tuple":
        compare(exp["items"], act["items"], rtol, atol, msg, path)
    elif t == "dict":
        if sorted(exp["items"]) != sorted(act["items"]):
            fail("dict keys differ")
        for k in exp["items"]:
            compare(exp["items"][k], act["items"][k], rtol, atol, msg, f"{path}[{k!r}]")
    elif t == "array":
        for key in ("kind", "dtype", "shape"):
            if exp[key] != act[key]:
                fail(f"{key} {act[key]} != TF's {exp[key]}")
        r, a = TOLERANCES.get(exp["dtype"], (0, 0))
        if rtol is not None:
            r, a = rtol, atol if atol is not None else a
        if not _close(_values(exp), _values(act), r, a):
            fail(f"values differ (rtol={r}, atol={a})")
    elif t == "indexed_slices":
        compare(exp["values"], act["values"], rtol, atol, msg, path + ".values")
        compare(exp["indices"], act["indices"], rtol, atol, msg, path + ".indices")
        if exp["dense_shape"] != act["dense_shape"]:
            fail("dense_shape differs")
    elif t == "complex":
        if not _close(complex(exp["re"], exp["im"]), complex(act["re"], act["im"]),
                      *(TOLERANCES["float64"] if rtol is None else (rtol, atol or 0.0))):
            fail("complex differs")
    elif exp != act:
        fail("differs")


def _short(enc, limit=300):
    s = repr(enc)
    return s if len(s) <= limit else s[:limit] + "..."
