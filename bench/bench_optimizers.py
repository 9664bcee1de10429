"""Optimizer step cost: microseconds per ``apply_gradients`` against hand-written NumPy.

    python3 bench/bench_optimizers.py [--threads 1] [--quick]

For SGD (plain and momentum 0.9) and Adam, one step on a small MLP's variables (16x8, 8, 8x4,
4; float32) and on one 256x256 matrix: tapegrad's ``apply_gradients`` (Keras 3 optimizer) and
tf.compat.v1's ``apply_gradients``, each beside the same update written directly in NumPy on
arrays. The ratio is the Python bookkeeping the optimizer adds (checks, dtype handling, slot
lookups, the iteration counter); on small variables it dominates, on large ones the arithmetic
does.

glibc's malloc hands 256 KB blocks back to the kernel on free and page-faults them in again on
the next step, which costs more than the arithmetic and makes the figures jump between runs.
The bench therefore fixes glibc's mmap/trim thresholds (mallopt) unless ``--malloc-default``.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_engine import _pin, run_times  # noqa: E402 - the same thread pinning and timer

SHAPES = {"small": [(16, 8), (8,), (8, 4), (4,)], "256x256": [(256, 256)]}


def _steady_malloc():
    """Keep freed blocks in the process (glibc only); returns whether it applied."""
    import ctypes
    import ctypes.util
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 32 << 20)
                    and libc.mallopt(m_trim_threshold, 256 << 20))
    except (OSError, AttributeError):
        return False


def best_time(fn, repeat, number):
    return min(run_times(fn, repeat, number))  # the least disturbed run: allocation is noisy


def numpy_step(np, kind, shapes):
    """The update rule on plain arrays, in place (what a hand-written NumPy loop would do;
    tapegrad never writes into an array a tape may hold, so it allocates new ones)."""
    xs = [np.ones(s, np.float32) for s in shapes]
    gs = [np.full(s, 0.01, np.float32) for s in shapes]
    ms = [np.zeros(s, np.float32) for s in shapes]
    vs = [np.zeros(s, np.float32) for s in shapes]
    lr, mu, b1, b2, eps = (np.float32(v) for v in (0.01, 0.9, 0.9, 0.999, 1e-7))
    t = [0]

    def sgd():
        for x, g in zip(xs, gs):
            x -= lr * g

    def momentum():
        for x, m, g in zip(xs, ms, gs):
            m *= mu
            m -= lr * g
            x += m

    def adam():
        t[0] += 1
        alpha = lr * np.sqrt(1 - b2 ** t[0]) / (1 - b1 ** t[0])
        for x, m, v, g in zip(xs, ms, vs, gs):
            m += (g - m) * (1 - b1)
            v += (g * g - v) * (1 - b2)
            x -= alpha * m / (np.sqrt(v) + eps)
    return {"SGD": sgd, "SGD momentum": momentum, "Adam": adam}[kind]


def tapegrad_step(tf, np, kind, shapes, v1=False):
    xs = [tf.Variable(np.ones(s, np.float32)) for s in shapes]
    gs = [tf.constant(np.full(s, 0.01, np.float32)) for s in shapes]
    if v1:
        train = tf.compat.v1.train
        opt = {"SGD": lambda: train.GradientDescentOptimizer(0.01),
               "SGD momentum": lambda: train.MomentumOptimizer(0.01, 0.9),
               "Adam": lambda: train.AdamOptimizer(0.01)}[kind]()
    else:
        opts = tf.keras.optimizers
        opt = {"SGD": lambda: opts.SGD(0.01), "SGD momentum": lambda: opts.SGD(0.01, 0.9),
               "Adam": lambda: opts.Adam(0.01)}[kind]()
    pairs = list(zip(gs, xs))
    return lambda: opt.apply_gradients(pairs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--malloc-default", action="store_true",
                        help="leave glibc's malloc thresholds as they are")
    args = parser.parse_args()
    _pin(args.threads)
    steady = not args.malloc_default and _steady_malloc()
    print(f"malloc thresholds fixed: {steady}")
    import numpy as np
    import tapegrad as tf
    repeat, number = (3, 50) if args.quick else (7, 300)
    print(f"{'optimizer':<14}{'variables':<10}{'numpy us':>10}{'keras us':>10}{'ratio':>7}"
          f"{'v1 us':>10}{'ratio':>7}")
    for kind in ("SGD", "SGD momentum", "Adam"):
        for label, shapes in SHAPES.items():
            base = best_time(numpy_step(np, kind, shapes), repeat, number)
            keras = best_time(tapegrad_step(tf, np, kind, shapes), repeat, number)
            v1 = best_time(tapegrad_step(tf, np, kind, shapes, v1=True), repeat, number)
            print(f"{kind:<14}{label:<10}{base * 1e6:>10.1f}{keras * 1e6:>10.1f}"
                  f"{keras / base:>7.1f}{v1 * 1e6:>10.1f}{v1 / base:>7.1f}")


if __name__ == "__main__":
    main()
