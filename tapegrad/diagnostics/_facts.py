"""The facts a tape keeps after a non-persistent release: op types, tensor ids and call sites,
never arrays, so ``explain`` works after ``gradient`` without keeping memory alive."""


class OpFact:
    __slots__ = ("type", "input_ids", "output_ids", "input_dtypes", "output_dtypes", "site",
                 "differentiable", "attrs")

    def __init__(self, op):
        self.type = op.opdef.type
        self.input_ids = tuple(t._id for t in op.inputs)
        self.output_ids = tuple(t._id for t in op.outputs)
        self.input_dtypes = tuple(t._dtype for t in op.inputs)
        self.output_dtypes = tuple(t._dtype for t in op.outputs)
        self.site = op.site
        self.differentiable = op.opdef.differentiable
        self.attrs = op.attrs if op.attrs and len(op.attrs) < 4 and all(
            isinstance(v, (int, float, str, bool, type(None))) for v in op.attrs.values()) else None


def skeleton(tape):
    """Array-free copy of a tape's records (built once, when a non-persistent tape is released)."""
    return [OpFact(op) for op in tape._records]
