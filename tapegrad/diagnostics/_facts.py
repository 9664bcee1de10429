"""The facts a tape keeps after a non-persistent release: op types, tensor ids, dtypes and call
sites, never arrays, so ``explain`` works after ``gradient`` without keeping memory alive.

Built once per release on the backward hot path, so each fact is a plain tuple; ``OpFact``
gives it names when a report is made.
"""


class OpFact:
    """Array-free view of one recorded op (also built straight from a live record)."""

    __slots__ = ("opdef", "site", "input_ids", "output_ids", "input_dtypes", "output_dtypes",
                 "attrs")

    def __init__(self, opdef, site, input_ids, output_ids, input_dtypes, output_dtypes, attrs):
        self.opdef = opdef
        self.site = site
        self.input_ids = input_ids
        self.output_ids = output_ids
        self.input_dtypes = input_dtypes
        self.output_dtypes = output_dtypes
        self.attrs = attrs

    @property
    def type(self):
        return self.opdef.type

    @classmethod
    def of(cls, op):
        if isinstance(op, tuple):
            return cls(*op)
        return cls(*_fact(op))


def _fact(op):
    ins = op.inputs
    outs = op.outputs
    return (op.opdef, op.site, [t._id for t in ins], [t._id for t in outs],
            [t._dtype for t in ins], [t._dtype for t in outs], op.attrs)


def skeleton(tape):
    """Array-free copy of a tape's records (built once, when a non-persistent tape is released)."""
    return list(map(_fact, tape._records))


def facts(tape):
    """OpFacts of a tape, live or released."""
    if tape._skeleton is not None and not tape._records:
        return [OpFact(*f) for f in tape._skeleton]
    return [OpFact.of(op) for op in (tape._records or [])]
