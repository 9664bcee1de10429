"""``tf.random``: seeded sampling on NumPy's PCG64, with TF's seeding rules.

TF's bit streams cannot be matched; what is kept is the contract: after ``set_seed(s)`` the
sequence of random calls gives the same values on every run; an op seed without a global seed
is reproducible too; with neither, values differ between runs. Each (global seed, op seed) pair
owns one stream, and ``set_seed`` restarts them all, as TF restarts its kernels' streams.

Samplers take no tensor inputs, so they are creation functions, not recorded ops. Where TF
shifts and scales the samples with ops (``mean``, ``stddev``, ``minval``, ``maxval`` given as
tensors) the same ops run here, so gradients reach those tensors as in TF; the samples
themselves are constants (``uniform(...) * 0 + 1`` has no path to anything).
"""
import zlib

import numpy

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor

_DEFAULT_GLOBAL_SEED = 87654321  # TF's default graph seed when only an op seed is given
_MASK64 = (1 << 64) - 1
_MAX_STREAMS = 4096
_FLOAT_TYPES = (_dt.float16, _dt.float32, _dt.float64)
_UNIFORM_TYPES = _FLOAT_TYPES + (_dt.int32, _dt.int64)


class _Seeds:
    global_seed = None
    streams = {}         # (global seed, op seed or None) -> numpy Generator
    unseeded = None      # the stream used when no seed is set at all


def _as_seed_int(seed):
    if isinstance(seed, Tensor):
        seed = seed._value
    try:
        return int(seed)
    except (TypeError, ValueError):
        return zlib.crc32(str(seed).encode())


def set_seed(seed):
    """Sets the global random seed and restarts every seeded random sequence."""
    _Seeds.global_seed = None if seed is None else _as_seed_int(seed)
    _Seeds.streams.clear()


def _new_generator(*words):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        [w & _MASK64 for w in words])))


def _generator(seed=None):
    """The NumPy generator for an op seed under the current global seed."""
    g = _Seeds.global_seed
    if seed is None:
        if g is None:
            if _Seeds.unseeded is None:
                _Seeds.unseeded = np.random.default_rng()
            return _Seeds.unseeded
        key = (g, None)
    else:
        key = (_DEFAULT_GLOBAL_SEED if g is None else g, _as_seed_int(seed))
    streams = _Seeds.streams
    gen = streams.get(key)
    if gen is None:
        if len(streams) >= _MAX_STREAMS:  # e.g. seed=step in a loop: forget the oldest
            del streams[next(iter(streams))]
        words = (key[0], 0) if key[1] is None else (key[0], 1, key[1])
        gen = streams[key] = _new_generator(*words)
    return gen


def _shape(shape):
    """TF's shape argument (list, tuple, TensorShape, 1-D int tensor) -> tuple of ints."""
    if isinstance(shape, Tensor) or getattr(shape, "_is_variable", False):
        shape = convert_to_tensor(shape)._value
    arr = np.asarray(shape)
    if arr.ndim != 1:
        raise InvalidArgumentError(None, None, f"shape must be a vector of {{int32,int64}}, "
                                               f"got shape {list(arr.shape)}")
    if arr.size and arr.dtype.kind not in "iu":
        raise InvalidArgumentError(None, None, f"Value for attr 'T' of "
                                               f"{_dt.from_numpy(arr.dtype).name} is not in "
                                               f"the list of allowed values: int32, int64")
    dims = tuple(int(d) for d in arr)
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(None, None, f"Dimension {d} must be >= 0")
    return dims


def _wrap(arr, dtype):
    arr = np.asarray(arr, dtype._np)
    arr.flags.writeable = False
    return Tensor(arr, dtype)


def _is_tensor(v):
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


def _affine(sample, dtype, scale, shift):
    """``sample * scale + shift`` as TF computes it: with ops when an operand is a tensor (so it
    gets TF's gradient), else directly on arrays."""
    if _is_tensor(scale) or _is_tensor(shift):
        scale = convert_to_tensor(scale, dtype=dtype)
        shift = convert_to_tensor(shift, dtype=dtype)
        return _wrap(sample, dtype) * scale + shift
    out = sample * np.asarray(scale, dtype._np) + np.asarray(shift, dtype._np)
    return _wrap(out, dtype)


def _float_dtype(dtype, value):
    dtype = _dt.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return dtype


def _sample_dtype(dtype):
    # NumPy samples float32/float64 natively; float16 is drawn as float32 and rounded.
    return np.float64 if dtype is _dt.float64 else np.float32


def _normal(gen, shape, mean, stddev, dtype):
    dtype = _float_dtype(dtype, mean)
    sample = gen.standard_normal(_shape(shape), dtype=_sample_dtype(dtype)).astype(dtype._np)
    return _affine(sample, dtype, stddev, mean)


def _truncated_normal(gen, shape, mean, stddev, dtype):
    dtype = _float_dtype(dtype, mean)
    sdt = _sample_dtype(dtype)
    sample = gen.standard_normal(_shape(shape), dtype=sdt)
    bad = np.abs(sample) > 2
    while bad.any():  # resample the tails until every value lies within two stddevs
        sample[bad] = gen.standard_normal(int(bad.sum()), dtype=sdt)
        bad = np.abs(sample) > 2
    return _affine(sample.astype(dtype._np), dtype, stddev, mean)


def _uniform01(gen, shape, dtype):
    """Samples in [0, 1) of a float dtype, as an array (dropout uses this)."""
    return gen.random(shape, dtype=_sample_dtype(dtype)).astype(dtype._np, copy=False)


def _uniform_int(gen, shape, minval, maxval, dtype):
    lo = int(convert_to_tensor(minval, dtype=dtype)._value)
    hi = int(convert_to_tensor(maxval, dtype=dtype)._value)
    if lo >= hi:
        raise InvalidArgumentError(None, None, f"Need minval < maxval, got {lo} >= {hi}")
    return _wrap(gen.integers(lo, hi, size=_shape(shape), dtype=dtype._np), dtype)


def _check_uniform_dtype(dtype):
    dtype = _dt.as_dtype(dtype)
    if dtype not in _UNIFORM_TYPES:
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. Accepted "
                         f"dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64, "
                         f"tf.int32, tf.int64).")
    return dtype


def _uniform_float(gen, shape, minval, maxval, dtype):
    if maxval is None:
        maxval = 1
    sample = _uniform01(gen, _shape(shape), dtype)
    if _is_tensor(minval) or _is_tensor(maxval):
        minval = convert_to_tensor(minval, dtype=dtype)
        maxval = convert_to_tensor(maxval, dtype=dtype)
        return _wrap(sample, dtype) * (maxval - minval) + minval
    lo = np.asarray(minval, dtype._np)
    return _wrap(sample * (np.asarray(maxval, dtype._np) - lo) + lo, dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None):
    """Samples from a normal distribution."""
    return _normal(_generator(seed), shape, mean, stddev, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None):
    """Samples from a normal distribution cut at two standard deviations (tails resampled)."""
    return _truncated_normal(_generator(seed), shape, mean, stddev, dtype)


def uniform(shape, minval=0, maxval=None, dtype=_dt.float32, seed=None, name=None):
    """Samples uniformly from [minval, maxval); integer dtypes need ``maxval``."""
    dtype = _check_uniform_dtype(dtype)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        return _uniform_int(_generator(seed), shape, minval, maxval, dtype)
    return _uniform_float(_generator(seed), shape, minval, maxval, dtype)


@defop("RandomShuffle", same_dtype=False, differentiable=False)
def _shuffle(x, *, perm):
    return x if perm is None else x[perm]


def shuffle(value, seed=None, name=None):
    """Randomly shuffles a tensor along its first dimension."""
    x = convert_to_tensor(value)
    n = x._value.shape[0] if x._value.ndim else 0
    perm = _generator(seed).permutation(n) if x._value.ndim else None
    return _shuffle(x, perm=perm)


@defop("Multinomial", dtypes=_dt.FLOATS, differentiable=False)
def _multinomial(logits, *, u, out):
    if logits.ndim != 2:
        raise InvalidArgumentError(None, None, f"logits should be a matrix, got shape "
                                               f"{list(logits.shape)}")
    if logits.shape[1] == 0:
        raise InvalidArgumentError(None, None, "num_classes should be positive, got 0")
    x = logits.astype(np.float64)
    top = np.max(x, axis=1, keepdims=True)
    cdf = np.cumsum(np.exp(x - top), axis=1)
    # inverse CDF: the class is the number of cumulative weights at or below u * total
    target = u * cdf[:, -1:]
    idx = np.minimum((cdf[:, None, :] <= target[:, :, None]).sum(-1), logits.shape[1] - 1)
    # a row with no finite logit has no distribution: TF returns num_classes there
    idx[~np.isfinite(top[:, 0]) | np.isnan(cdf[:, -1])] = logits.shape[1]
    return idx.astype(out)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws class indices from the categorical distributions given by rows of logits."""
    out = _dt.int64 if dtype is None else _dt.as_dtype(dtype)
    if out not in (_dt.int32, _dt.int64):
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{out.name}'>. Accepted "
                         f"dtypes are (tf.int32, tf.int64).")
    logits = convert_to_tensor(logits)
    n = int(num_samples._value if isinstance(num_samples, Tensor) else num_samples)
    batch = logits._value.shape[0] if logits._value.ndim else 0
    u = _generator(seed).random((batch, n))
    return _multinomial(logits, u=u, out=out._np)


class Generator:
    """A random number generator with its own state (``tf.random.Generator``)."""

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._rng = np.random.Generator(np.random.PCG64())
            self._rng.bit_generator.state = copy_from._rng.bit_generator.state
        elif state is not None:
            words = np.asarray(getattr(state, "_value", state)).reshape(-1).tolist()
            self._rng = _new_generator(*[int(w) for w in words])
        else:
            self._rng = np.random.default_rng()

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose sequence is fixed by ``seed``."""
        return cls(state=[_as_seed_int(seed)])

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from OS entropy."""
        return cls()

    @classmethod
    def from_state(cls, state, alg):
        """A generator built from a state (a seed vector)."""
        return cls(state=state)

    def reset_from_seed(self, seed):
        """Restarts this generator's sequence from ``seed``."""
        self._rng = _new_generator(_as_seed_int(seed))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dt.float32, name=None):
        """Samples from a normal distribution."""
        return _normal(self._rng, shape, mean, stddev, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dt.float32, name=None):
        """Samples from a normal distribution cut at two standard deviations."""
        return _truncated_normal(self._rng, shape, mean, stddev, dtype)

    def uniform(self, shape, minval=0, maxval=None, dtype=_dt.float32, name=None):
        """Samples uniformly from [minval, maxval); for integer dtypes give both bounds or
        neither (the full range)."""
        dtype = _check_uniform_dtype(dtype)
        if dtype.is_integer:
            if minval is None and maxval is None:
                return self.uniform_full_int(shape, dtype)
            if minval is None or maxval is None:
                raise ValueError(f"For integer dtype <dtype: '{dtype.name}'>, minval and maxval "
                                 f"must be both `None` or both non-`None`; got minval={minval} "
                                 f"and maxval={maxval}")
            return _uniform_int(self._rng, shape, minval, maxval, dtype)
        return _uniform_float(self._rng, shape, minval, maxval, dtype)

    def uniform_full_int(self, shape, dtype=_dt.uint64, name=None):
        """Integers drawn uniformly from the dtype's whole range."""
        dtype = _dt.as_dtype(dtype)
        info = numpy.iinfo(dtype._np)
        return _wrap(self._rng.integers(info.min, info.max, size=_shape(shape),
                                        dtype=dtype._np, endpoint=True), dtype)

    def make_seeds(self, count=1):
        """``count`` seeds for stateless ops, as an int64 tensor of shape [2, count]."""
        return _wrap(self._rng.integers(numpy.iinfo(numpy.int64).min,
                                        numpy.iinfo(numpy.int64).max, size=(2, int(count)),
                                        dtype=np.int64), _dt.int64)

    def split(self, count=1):
        """``count`` new independent generators; this one advances."""
        return [Generator(state=self._rng.integers(0, 2**63 - 1, size=4).tolist())
                for _ in range(int(count))]

    def __repr__(self):
        return "<tapegrad Generator (PCG64)>"
