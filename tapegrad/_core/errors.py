"""TensorFlow's exception hierarchy (``tf.errors``), so ``except tf.errors.X`` works unchanged."""


class OpError(Exception):
    """Base of the errors an op raises while running, as ``tf.errors.OpError``."""

    error_code = 2

    def __init__(self, node_def=None, op=None, message="", *args):
        # TF's signature is (node_def, op, message); allow OpError("text") too.
        if message == "" and isinstance(node_def, str) and op is None:
            message, node_def = node_def, None
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


def _error(name, code, doc):
    return type(name, (OpError,), {"error_code": code, "__doc__": doc})


CancelledError = _error("CancelledError", 1, "The operation was cancelled.")
UnknownError = _error("UnknownError", 2, "An unknown error, e.g. raised inside a py_function.")
InvalidArgumentError = _error("InvalidArgumentError", 3, "An op got an invalid argument.")
DeadlineExceededError = _error("DeadlineExceededError", 4, "A deadline expired.")
NotFoundError = _error("NotFoundError", 5, "A requested entity was not found.")
AlreadyExistsError = _error("AlreadyExistsError", 6, "An entity already exists.")
PermissionDeniedError = _error("PermissionDeniedError", 7, "The caller lacks permission.")
ResourceExhaustedError = _error("ResourceExhaustedError", 8, "A resource ran out.")
FailedPreconditionError = _error("FailedPreconditionError", 9, "The system is not ready.")
AbortedError = _error("AbortedError", 10, "The operation was aborted.")
OutOfRangeError = _error("OutOfRangeError", 11, "Iterated past the valid range.")
UnimplementedError = _error("UnimplementedError", 12, "The operation is not implemented.")
InternalError = _error("InternalError", 13, "An internal invariant broke.")
UnavailableError = _error("UnavailableError", 14, "The runtime is unavailable.")
DataLossError = _error("DataLossError", 15, "Data was lost or corrupted.")
UnauthenticatedError = _error("UnauthenticatedError", 16, "The request lacks credentials.")


class LeftTapeError(AttributeError):
    """A NumPy or Python value was given where a tapegrad Tensor was expected.

    TF raises a bare AttributeError here; ours is a subclass (so ``except AttributeError``
    still works) whose message says the value left the tape.
    """


class DisconnectedGradientError(ValueError):
    """Raised by ``gradient(..., unconnected_gradients="raise")``; carries ``.explanations``."""

    def __init__(self, message, explanations=None):
        super().__init__(message)
        self.explanations = explanations
