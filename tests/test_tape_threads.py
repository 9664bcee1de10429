"""Tapes are thread-local, as in TF: ops run in another thread are not recorded by this
thread's tape, and a tape in another thread does not see this thread's ops."""
import threading

import numpy as np

import tapegrad as tf


def test_ops_in_another_thread_are_not_recorded():
    x = tf.Variable(3.0)
    out = {}

    def worker():
        out["y"] = x * x  # runs while the main thread's tape is open

    with tf.GradientTape(persistent=True) as tape:
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        z = x * 2.0
    assert tape.gradient(out["y"], x) is None
    assert tape.gradient(z, x).numpy() == 2.0  # this thread's op was recorded


def test_each_thread_differentiates_with_its_own_tape():
    results = {}
    barrier = threading.Barrier(2)

    def worker(k):
        v = tf.Variable(float(k + 1))
        with tf.GradientTape() as tape:
            barrier.wait()  # both tapes open at the same time
            y = v * v * v
        results[k] = tape.gradient(y, v).numpy()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_allclose([results[0], results[1]], [3.0, 12.0])
