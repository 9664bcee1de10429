"""Checkpoints: round trips, the file format's integrity checks, atomic saves under SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.train.checkpoint import CheckpointError


def make_vars(seed):
    rng = np.random.default_rng(seed)
    return {"w": tf.Variable(rng.normal(size=(3, 2)).astype(np.float32)),
            "b": tf.Variable(rng.normal(size=(2,))),  # float64
            "n": tf.Variable(np.int64(seed), trainable=False)}


class Net(tf.Module):
    def __init__(self, seed):
        super().__init__()
        for k, v in make_vars(seed).items():
            setattr(self, k, v)


def test_round_trip_and_counter(tmp_path):
    net = Net(1)
    ckpt = tf.train.Checkpoint(model=net)
    p1 = ckpt.save(str(tmp_path / "ck"))
    assert p1.endswith("ck-1") and int(ckpt.save_counter.numpy()) == 1
    other = Net(2)
    status = tf.train.Checkpoint(model=other).restore(p1)
    status.assert_consumed()
    for k in ("w", "b", "n"):
        np.testing.assert_array_equal(getattr(other, k).numpy(), getattr(net, k).numpy())
        assert getattr(other, k).dtype == getattr(net, k).dtype
    assert ckpt.save(str(tmp_path / "ck")).endswith("ck-2")
    assert ckpt.write(str(tmp_path / "exact")) == str(tmp_path / "exact")


def test_manager_keeps_newest(tmp_path):
    v = tf.Variable(1.0)
    ckpt = tf.train.Checkpoint(v=v)
    mgr = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    paths = []
    for i in range(4):
        v.assign(float(i))
        paths.append(mgr.save())
    assert mgr.latest_checkpoint == paths[-1] == tf.train.latest_checkpoint(str(tmp_path))
    assert mgr.checkpoints == paths[-2:]
    assert not os.path.exists(paths[0] + ".index")
    assert len([f for f in os.listdir(tmp_path) if ".data-" in f]) == 2
    again = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert again.latest_checkpoint == paths[-1]
    v.assign(-1.0)
    ckpt.restore(again.latest_checkpoint)
    assert v.numpy() == 3.0


def test_partial_restore_status(tmp_path):
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    path = tf.train.Checkpoint(a=a).write(str(tmp_path / "p"))
    status = tf.train.Checkpoint(a=a, b=b).restore(path)
    with pytest.raises(AssertionError, match="b"):
        status.assert_consumed()
    status.expect_partial()


def _corrupt(path, how):
    index = json.loads(open(path + ".index").read())
    data = os.path.join(os.path.dirname(path), index["data_file"])
    if how == "truncate_data":
        raw = open(data, "rb").read()
        open(data, "wb").write(raw[:-3])
    elif how == "flip_byte":
        raw = bytearray(open(data, "rb").read())
        raw[5] ^= 0xFF
        open(data, "wb").write(bytes(raw))
    elif how == "truncate_index":
        raw = open(path + ".index", "rb").read()
        open(path + ".index", "wb").write(raw[: len(raw) // 2])
    elif how == "tamper_shape":
        index["entries"]["w"]["shape"] = [2, 2]
        open(path + ".index", "w").write(json.dumps(index))
    elif how == "escape_dir":
        index["data_file"] = "../../etc/passwd"
        open(path + ".index", "w").write(json.dumps(index))
    elif how == "delete_data":
        os.remove(data)


@pytest.mark.parametrize("how,match", [
    ("truncate_data", "truncated"), ("flip_byte", "SHA-256"), ("truncate_index", "not valid JSON"),
    ("tamper_shape", "malformed"), ("escape_dir", "invalid data file"), ("delete_data", "missing")])
def test_bad_files_raise_and_change_nothing(tmp_path, how, match):
    w = tf.Variable(np.arange(6.0).reshape(3, 2))
    path = tf.train.Checkpoint(w=w).write(str(tmp_path / "c"))
    _corrupt(path, how)
    target = tf.Variable(np.full((3, 2), 7.0))
    with pytest.raises(CheckpointError, match=match) as info:
        tf.train.Checkpoint(w=target).restore(path)
    assert str(tmp_path) in str(info.value)
    np.testing.assert_array_equal(target.numpy(), np.full((3, 2), 7.0))


def test_mismatched_shape_changes_nothing(tmp_path):
    a = tf.Variable([1.0, 2.0])
    b = tf.Variable([[1.0]])
    path = tf.train.Checkpoint(a=a, b=b).write(str(tmp_path / "m"))
    a2, b2 = tf.Variable([5.0, 6.0]), tf.Variable([[1.0, 2.0]])
    with pytest.raises(CheckpointError, match="shape"):
        tf.train.Checkpoint(a=a2, b=b2).restore(path)
    assert a2.numpy().tolist() == [5.0, 6.0]  # a matched, but nothing was assigned


def test_file_holds_no_code(tmp_path):
    path = tf.train.Checkpoint(w=tf.Variable([1.0])).write(str(tmp_path / "f"))
    index = json.loads(open(path + ".index").read())
    assert index["format"] == "tapegrad-checkpoint" and set(index["entries"]) == {"w", "save_counter"}


WRITER = r"""
import sys, numpy as np, tapegrad as tf
path = sys.argv[1]
vs = [tf.Variable(np.zeros(20000)) for _ in range(4)]
ckpt = tf.train.Checkpoint(**{f"v{i}": v for i, v in enumerate(vs)})
k = 0
while True:
    k += 1
    for v in vs:
        v.assign(np.full(20000, float(k)))
    ckpt.write(path)
    print(k, flush=True)
"""


def test_kill_during_save_leaves_a_whole_checkpoint(tmp_path):
    path = str(tmp_path / "crash")
    rng = np.random.default_rng(0)
    for trial in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, path], stdout=subprocess.PIPE,
                                text=True)
        proc.stdout.readline()  # at least one complete save
        time.sleep(float(rng.uniform(0.0, 0.05)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        vs = [tf.Variable(np.zeros(20000)) for _ in range(4)]
        tf.train.Checkpoint(**{f"v{i}": v for i, v in enumerate(vs)}).restore(path)
        values = {float(v.numpy()[0]) for v in vs}
        assert len(values) == 1 and values.pop() >= 1.0  # one whole save, never a mix
        assert all(np.all(v.numpy() == v.numpy()[0]) for v in vs)
