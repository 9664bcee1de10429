"""Flatten and rebuild nested structures (lists, tuples, namedtuples, dicts), as tf.nest does.

Dict values are visited in sorted key order, as TF does.
"""


def _is_seq(x):
    return isinstance(x, (list, tuple, dict))


def flatten(structure):
    if not _is_seq(structure):
        return [structure]
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(s, out):
    if isinstance(s, dict):
        items = [s[k] for k in sorted(s)]
    elif isinstance(s, (list, tuple)):
        items = s
    else:
        out.append(s)
        return
    for item in items:
        _flatten_into(item, out)


def pack_sequence_as(structure, flat):
    it = iter(flat)
    result = _pack(structure, it)
    return result


def _pack(s, it):
    if isinstance(s, dict):
        packed = {k: _pack(s[k], it) for k in sorted(s)}
        return type(s)((k, packed[k]) for k in s) if type(s) is not dict else {k: packed[k] for k in s}
    if isinstance(s, tuple) and hasattr(s, "_fields"):  # namedtuple
        return type(s)(*[_pack(v, it) for v in s])
    if isinstance(s, (list, tuple)):
        return type(s)(_pack(v, it) for v in s)
    return next(it)


def map_structure(fn, structure):
    return pack_sequence_as(structure, [fn(x) for x in flatten(structure)])
