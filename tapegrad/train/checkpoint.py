"""``tf.train.Checkpoint`` and ``CheckpointManager`` in tapegrad's own file format.

A checkpoint at path P is two files:
- ``P.index``: JSON ``{"format": "tapegrad-checkpoint", "version": 1, "data_file": name,
  "data_bytes": n, "data_sha256": hex, "entries": {key: {"dtype", "shape", "offset",
  "nbytes"}}}``;
- the data file it names (``P.data-<nonce>``): the arrays' raw little-endian bytes, one after
  another.

Loading parses JSON and copies bytes into NumPy arrays of the declared dtype and shape: nothing
in a file is ever executed (no pickle). The index is the commit point of a save: data is
written and fsynced under a fresh name first, then the index is written to a temporary file,
fsynced and renamed over ``P.index`` (atomic on POSIX), and only then is an older data file
removed. A crash at any moment leaves either the old checkpoint or the new one, whole.
A restore validates every entry (file checksum, dtypes, shapes) before assigning anything.
"""
import hashlib
import json
import os
import secrets

import numpy as np

from .._core import dtypes as _dt
from .._core.variables import Variable

FORMAT = "tapegrad-checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint file is missing, truncated, corrupted or does not fit the objects."""


# -- the object graph -----------------------------------------------------------------------

def _children(obj):
    if isinstance(obj, Checkpoint):
        return dict(obj._objects)
    fn = getattr(obj, "_checkpoint_children", None)
    return fn() if fn is not None else {}


def _walk(root):
    """key -> Variable for every variable reachable from ``root`` (each object once)."""
    out, seen = {}, set()

    def visit(obj, prefix):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, Variable):
            out[prefix] = obj
            return
        for name, child in _children(obj).items():
            visit(child, f"{prefix}/{name}" if prefix else name)
    visit(root, "")
    return out


def _slot_owners(root):
    """Optimizers reachable from root that keep per-variable slots (for deferred build)."""
    found, seen = [], set()

    def visit(obj):
        if id(obj) in seen or isinstance(obj, Variable):
            return
        seen.add(id(obj))
        if hasattr(obj, "_checkpoint_restore_build"):
            found.append(obj)
        for child in _children(obj).values():
            visit(child)
    visit(root)
    return found


# -- files ----------------------------------------------------------------------------------

def _fsync_write(path, data):
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_arrays(path, arrays):
    """Atomically write {key: ndarray} as checkpoint ``path`` (see module docstring)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    base = os.path.basename(path)
    entries, chunks, offset = {}, [], 0
    for key in sorted(arrays):
        arr = np.asarray(arrays[key], order="C")  # (ascontiguousarray would make 0-d 1-d)
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        entries[key] = {"dtype": _dt.from_numpy(arr.dtype).name, "shape": list(arr.shape),
                        "offset": offset, "nbytes": len(raw)}
        chunks.append(raw)
        offset += len(raw)
    data = b"".join(chunks)
    data_name = f"{base}.data-{secrets.token_hex(4)}"
    _fsync_write(os.path.join(directory, data_name), data)
    old = _read_index_quietly(path)
    index = {"format": FORMAT, "version": VERSION, "data_file": data_name,
             "data_bytes": len(data), "data_sha256": hashlib.sha256(data).hexdigest(),
             "entries": entries}
    tmp = os.path.join(directory, f".{base}.index.tmp-{secrets.token_hex(4)}")
    _fsync_write(tmp, json.dumps(index, indent=1, sort_keys=True).encode())
    os.replace(tmp, path + ".index")
    _fsync_dir(directory)
    if old and old.get("data_file") and old["data_file"] != data_name:
        try:
            os.remove(os.path.join(directory, old["data_file"]))
        except OSError:
            pass
    return path


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_index_quietly(path):
    try:
        with open(path + ".index", "rb") as f:
            return json.loads(f.read())
    except (OSError, ValueError):
        return None


def read_arrays(path):
    """{key: ndarray} from checkpoint ``path``; CheckpointError naming the file if it is bad."""
    index_path = path + ".index"
    try:
        with open(index_path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise CheckpointError(f"No checkpoint found at {path!r} (missing {index_path})") from None
    try:
        index = json.loads(raw)
    except ValueError as e:
        raise CheckpointError(f"Checkpoint index {index_path} is not valid JSON "
                              f"(truncated or corrupted): {e}") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise CheckpointError(f"{index_path} is not a tapegrad checkpoint index")
    if index.get("version") != VERSION:
        raise CheckpointError(f"{index_path} has unsupported version {index.get('version')!r}")
    data_file = index.get("data_file", "")
    if not isinstance(data_file, str) or os.sep in data_file or data_file.startswith("."):
        raise CheckpointError(f"{index_path} names an invalid data file {data_file!r}")
    data_path = os.path.join(os.path.dirname(os.path.abspath(path)), data_file)
    try:
        with open(data_path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise CheckpointError(f"Checkpoint data file {data_path} is missing") from None
    if len(data) != index.get("data_bytes"):
        raise CheckpointError(f"Checkpoint data file {data_path} is truncated: "
                              f"{len(data)} bytes, expected {index.get('data_bytes')}")
    if hashlib.sha256(data).hexdigest() != index.get("data_sha256"):
        raise CheckpointError(f"Checkpoint data file {data_path} is corrupted or was modified "
                              "(SHA-256 mismatch)")
    arrays = {}
    for key, e in index.get("entries", {}).items():
        try:
            dtype = _dt.as_dtype(e["dtype"])._np.newbyteorder("<")
            shape = tuple(int(d) for d in e["shape"])
            off, n = int(e["offset"]), int(e["nbytes"])
            if n != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize or off < 0 or \
                    off + n > len(data):
                raise ValueError("size does not match dtype and shape")
            arrays[key] = np.frombuffer(data, dtype, count=n // dtype.itemsize,
                                        offset=off).reshape(shape).astype(dtype.newbyteorder("="))
        except (KeyError, TypeError, ValueError) as err:
            raise CheckpointError(f"{index_path}: entry {key!r} is malformed ({err})") from None
    return arrays


# -- Checkpoint -----------------------------------------------------------------------------

class CheckpointLoadStatus:
    """What ``restore`` matched; ``assert_consumed`` checks both sides were used.

    Matching is worked out when asked, as TF's status is: optimizer slots restored on creation
    (after the first step) count as consumed from then on."""

    def __init__(self, path, keys, root):
        self._path = path
        self._keys = set(keys)
        self._root = root

    def _sides(self):
        if self._root is None:
            return set(), set()
        targets = set(_walk(self._root)) | {"save_counter"}
        return self._keys - targets, targets - self._keys - {"save_counter"}

    def assert_consumed(self):
        unused, unmatched = self._sides()
        if unused or unmatched:
            raise AssertionError(
                f"Unresolved objects in checkpoint {self._path}: values in the file not used: "
                f"{sorted(unused)}; objects with no value: {sorted(unmatched)}")
        return self

    def assert_existing_objects_matched(self):
        unmatched = self._sides()[1]
        if unmatched:
            raise AssertionError(f"Objects with no value in {self._path}: {sorted(unmatched)}")
        return self

    def assert_nontrivial_match(self):
        return self

    def expect_partial(self):
        return self


class Checkpoint:
    """Groups trackable objects (variables, modules, optimizers) to save and restore."""

    def __init__(self, root=None, **kwargs):
        for k, v in kwargs.items():
            if v is None or isinstance(v, (int, float, str, bool)):
                raise ValueError(f"`Checkpoint` was expecting a trackable object (an object "
                                 f"derived from `Trackable`), got {v!r}.")
        self._objects = dict(sorted(kwargs.items()))
        if root is not None:
            self._objects["root"] = root
        self.save_counter = Variable(0, dtype=_dt.int64, trainable=False, name="save_counter")

    def __getattr__(self, name):
        objects = self.__dict__.get("_objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    def _values(self):
        values = {k: v.numpy() for k, v in _walk(self).items()}
        values["save_counter"] = self.save_counter.numpy()
        return values

    def write(self, file_prefix, options=None):
        """Write to exactly ``file_prefix`` (no counter); returns the path."""
        return write_arrays(os.fspath(file_prefix), self._values())

    def save(self, file_prefix, options=None):
        """Write to ``file_prefix-N`` with N = the incremented save_counter; returns the path."""
        self.save_counter.assign_add(1)
        try:
            return self.write(f"{os.fspath(file_prefix)}-{int(self.save_counter.numpy())}")
        except BaseException:
            self.save_counter.assign_sub(1)
            raise

    def read(self, save_path, options=None):
        return self.restore(save_path)

    def restore(self, save_path, options=None):
        """Restore every matching variable; nothing is assigned if any entry is bad."""
        if save_path is None:
            return CheckpointLoadStatus(None, (), None)
        save_path = os.fspath(save_path)
        arrays = read_arrays(save_path)
        for opt in _slot_owners(self):
            opt._checkpoint_restore_build(arrays)
        targets = _walk(self)
        targets["save_counter"] = self.save_counter
        plan = []
        for key, var in targets.items():
            if key not in arrays:
                continue
            arr = arrays[key]
            if arr.shape != tuple(var.shape):
                raise CheckpointError(f"{save_path}: {key!r} has shape {list(arr.shape)} but the "
                                      f"variable has shape {list(var.shape)}")
            if _dt.from_numpy(arr.dtype) is not var.dtype:
                raise CheckpointError(f"{save_path}: {key!r} has dtype {arr.dtype} but the "
                                      f"variable has dtype {var.dtype.name}")
            plan.append((var, arr))
        for var, arr in plan:  # every entry validated: now assign
            var.assign(arr)
        return CheckpointLoadStatus(save_path, arrays.keys(), self)


# -- CheckpointManager ----------------------------------------------------------------------

class CheckpointManager:
    """Numbered saves in a directory, keeping the newest ``max_to_keep``."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._prefix = os.path.join(self._directory, checkpoint_name)
        state = _read_state(self._directory)
        self._checkpoints = [p for p in state.get("all_model_checkpoint_paths", [])
                             if os.path.exists(p + ".index")]

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoints(self):
        return list(self._checkpoints)

    @property
    def latest_checkpoint(self):
        return self._checkpoints[-1] if self._checkpoints else None

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        if checkpoint_number is not None:
            path = self._checkpoint.write(f"{self._prefix}-{int(checkpoint_number)}")
        else:
            path = self._checkpoint.save(self._prefix)
        if path in self._checkpoints:
            self._checkpoints.remove(path)
        self._checkpoints.append(path)
        removed = []
        if self._max_to_keep is not None:
            while len(self._checkpoints) > self._max_to_keep:
                removed.append(self._checkpoints.pop(0))
        _write_state(self._directory, self._checkpoints)
        for old in removed:
            _delete_checkpoint(old)
        return path

    def restore_or_initialize(self):
        if self.latest_checkpoint:
            self._checkpoint.restore(self.latest_checkpoint)
            return self.latest_checkpoint
        return None


def _state_path(directory):
    return os.path.join(directory, "checkpoint")


def _read_state(directory):
    try:
        with open(_state_path(directory)) as f:
            state = json.load(f)
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_state(directory, paths):
    state = {"model_checkpoint_path": paths[-1] if paths else None,
             "all_model_checkpoint_paths": paths}
    tmp = os.path.join(directory, f".checkpoint.tmp-{secrets.token_hex(4)}")
    _fsync_write(tmp, json.dumps(state, indent=1).encode())
    os.replace(tmp, _state_path(directory))


def _delete_checkpoint(path):
    index = _read_index_quietly(path)
    for p in [path + ".index"] + ([os.path.join(os.path.dirname(path), index["data_file"])]
                                  if index and isinstance(index.get("data_file"), str) else []):
        try:
            os.remove(p)
        except OSError:
            pass


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """Path of the newest checkpoint recorded in ``checkpoint_dir``, or None."""
    path = _read_state(os.fspath(checkpoint_dir)).get("model_checkpoint_path")
    return path if path and os.path.exists(path + ".index") else None
