"""tapegrad's speed, each figure beside hand-written NumPy doing the same arithmetic, in one run.

    python3 bench/bench_engine.py [--threads 1] [--quick]

1. A 1,000-op elementwise chain (multiply, add, tanh, repeated) on a scalar and on a
   10-element float32 vector: microseconds per op forward with recording, per op backward,
   and per op forward with no tape.
2. An MLP training step (forward, backward, SGD update), 784-512-512-10 ReLU, softmax
   cross-entropy, float32, batch 128; and a small one, 784-64-64-10, batch 32.
3. Peak memory (max RSS of a fresh process running the large step) against NumPy's.

PyTorch is measured too when it is importable. BLAS threads are pinned to the same number for
every contender (default 1), since a 2-thread BLAS slows down badly when the other core is busy.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def _pin(threads):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


def run_times(fn, repeat, number=1):
    """Seconds per call of ``fn``, one figure per batch of ``number`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return times


def median_time(fn, repeat, number=1):
    times = sorted(run_times(fn, repeat, number))
    return times[len(times) // 2]


# -- 1. the elementwise chain -----------------------------------------------------------------

N_OPS = 999  # 333 x (multiply, add, tanh)


def chain_tapegrad(tf, x):
    y = x
    for _ in range(N_OPS // 3):
        y = y * 1.001
        y = y + 0.5
        y = tf.math.tanh(y)
    return y


def chain_numpy(np, x):
    """Forward and hand-written backward of the same chain, keeping what backward needs."""
    y = x
    outs = []
    for _ in range(N_OPS // 3):
        y = y * np.float32(1.001)
        y = y + np.float32(0.5)
        y = np.tanh(y)
        outs.append(y)
    g = np.ones_like(y)
    for t in reversed(outs):
        g = g * (1 - t * t)
        g = g * np.float32(1.001)
    return g


def bench_chain(repeat):
    import numpy as np
    import tapegrad as tf
    rows = []
    for shape in [(), (10,)]:
        x = tf.constant(np.full(shape, 0.3, np.float32))
        xn = np.full(shape, 0.3, np.float32)

        def fwd_rec():
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = chain_tapegrad(tf, x)
            return tape, y

        for _ in range(3):  # warm up (first runs of a fresh process are slower)
            tape, y = fwd_rec()
            tape.gradient(y, x)
        t_notape = median_time(lambda: chain_tapegrad(tf, x), repeat)
        t_fwd = median_time(fwd_rec, repeat)
        backs = []
        for _ in range(repeat):
            tape, y = fwd_rec()
            t0 = time.perf_counter()
            tape.gradient(y, x)
            backs.append(time.perf_counter() - t0)
        backs.sort()
        t_back = backs[len(backs) // 2]
        t_np = median_time(lambda: chain_numpy(np, xn), repeat)
        row = {"shape": list(shape), "forward_recording_us": t_fwd / N_OPS * 1e6,
               "backward_us": t_back / N_OPS * 1e6, "forward_no_tape_us": t_notape / N_OPS * 1e6,
               "numpy_fwd_plus_bwd_us": t_np / N_OPS * 1e6}
        row.update(_diagnostics_cost(tf, fwd_rec, x, repeat))
        row.update(_torch_chain(shape, repeat))
        rows.append(row)
    return rows


def _diagnostics_cost(tf, fwd_rec, x, repeat):
    """What issue 3's diagnostics cost on the chain: recording with call-site capture switched
    off (the engine without diagnostics) against the normal path, and forward + backward with
    check_numerics on against off."""
    from tapegrad._core import context

    def fwd_bwd():
        tape, y = fwd_rec()
        tape.gradient(y, x)

    # Interleave the variants so load on the other core hits both alike, and compare the least
    # disturbed runs (minimums): the difference sought is a fraction of a microsecond per op.
    on, off, plain, checked = [], [], [], []
    for _ in range(5 * repeat):
        on.append(median_time(fwd_rec, 1))
        context.CAPTURE_SITES = False
        try:
            off.append(median_time(fwd_rec, 1))
        finally:
            context.CAPTURE_SITES = True
        plain.append(median_time(fwd_bwd, 1))
        tf.debugging.enable_check_numerics()
        try:
            checked.append(median_time(fwd_bwd, 1))
        finally:
            tf.debugging.disable_check_numerics()
    return {"recording_without_sites_us": min(off) / N_OPS * 1e6,
            "diagnostics_recording_cost": min(on) / min(off) - 1.0,
            "check_numerics_ratio": min(checked) / min(plain)}


def _torch_chain(shape, repeat):
    try:
        import torch
    except ImportError:
        return {}
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    x = torch.full(shape, 0.3, dtype=torch.float32, requires_grad=True)

    def fwd():
        y = x
        for _ in range(N_OPS // 3):
            y = torch.tanh(y * 1.001 + 0.5)
        return y

    t_fwd = median_time(fwd, repeat)
    backs = []
    for _ in range(repeat):
        y = fwd().sum()
        t0 = time.perf_counter()
        y.backward()
        backs.append(time.perf_counter() - t0)
    backs.sort()
    return {"torch_forward_recording_us": t_fwd / N_OPS * 1e6,
            "torch_backward_us": backs[len(backs) // 2] / N_OPS * 1e6}


# -- 2. MLP training step --------------------------------------------------------------------

def make_data(np, sizes, batch, seed=0):
    rng = np.random.default_rng(seed)
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params.append((rng.standard_normal((a, b)).astype(np.float32) * np.float32(1 / np.sqrt(a)),
                       np.zeros(b, np.float32)))
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], size=batch)
    return params, x, y


def numpy_step(np, params, x, y, lr=0.01):
    """Hand-written forward, backward and in-place SGD update."""
    acts = [x]
    h = x
    for i, (w, b) in enumerate(params):
        z = h @ w
        z += b
        if i < len(params) - 1:
            np.maximum(z, 0, out=z)
        acts.append(z)
        h = z
    logits = h
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    p = e / e.sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.mean(np.log(p[np.arange(n), y]))
    g = p
    g[np.arange(n), y] -= 1
    g /= n
    for i in range(len(params) - 1, -1, -1):
        w, b = params[i]
        a = acts[i]
        gw = a.T @ g
        gb = g.sum(axis=0)
        if i > 0:
            g = g @ w.T
            g *= acts[i] > 0
        w -= lr * gw
        b -= lr * gb
    return loss


def tapegrad_step_factory(tf, params, x, y, lr=0.01):
    import numpy as np
    variables = []
    for w, b in params:
        variables += [tf.Variable(w), tf.Variable(b)]
    xt = tf.constant(x)
    yt = tf.constant(y.astype(np.int32))
    opt = tf.optimizers.SGD(learning_rate=lr) if hasattr(tf, "optimizers") else None

    def step():
        with tf.GradientTape() as tape:
            h = xt
            for i in range(0, len(variables), 2):
                h = tf.matmul(h, variables[i]) + variables[i + 1]
                if i < len(variables) - 2:
                    h = tf.nn.relu(h)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yt, h))
        grads = tape.gradient(loss, variables)
        if opt is not None:
            opt.apply_gradients(zip(grads, variables))
        else:
            for v, g in zip(variables, grads):
                v.assign_sub(lr * g)
        return loss
    return step


def torch_step_factory(params, x, y, lr=0.01):
    import torch
    ws = [(torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
          for w, b in params]
    xt, yt = torch.tensor(x), torch.tensor(y)
    flat = [t for pair in ws for t in pair]
    opt = torch.optim.SGD(flat, lr=lr)

    def step():
        h = xt
        for i, (w, b) in enumerate(ws):
            h = h @ w + b
            if i < len(ws) - 1:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return step


MLPS = {"large": ([784, 512, 512, 10], 128), "small": ([784, 64, 64, 10], 32)}


def bench_mlp(repeat):
    import numpy as np
    import tapegrad as tf
    rows = []
    for name, (sizes, batch) in MLPS.items():
        number = 5 if name == "large" else 50
        params, x, y = make_data(np, sizes, batch)
        np_params = [(w.copy(), b.copy()) for w, b in params]
        step = tapegrad_step_factory(tf, params, x, y)
        step()
        # Alternate the two, so drift in the machine's speed hits both alike; 3x the repeats.
        np_times, tg_times = [], []
        for _ in range(3 * repeat):
            np_times.append(median_time(lambda: numpy_step(np, np_params, x, y), 1, number))
            tg_times.append(median_time(step, 1, number))
        t_np = sorted(np_times)[len(np_times) // 2]
        t_tg = sorted(tg_times)[len(tg_times) // 2]
        row = {"mlp": name, "numpy_ms": t_np * 1e3, "tapegrad_ms": t_tg * 1e3,
               "tapegrad_vs_numpy": t_tg / t_np}
        try:
            import torch  # noqa: F401
            tstep = torch_step_factory(params, x, y)
            tstep()
            t_pt = median_time(tstep, repeat, number)
            row.update({"torch_ms": t_pt * 1e3, "torch_vs_numpy": t_pt / t_np})
        except ImportError:
            pass
        rows.append(row)
    return rows


# -- 3. peak memory ---------------------------------------------------------------------------

def _peak_child(kind, steps=5):
    import resource
    import numpy as np
    sizes, batch = MLPS["large"]
    params, x, y = make_data(np, sizes, batch)
    if kind == "numpy":
        for _ in range(steps):
            numpy_step(np, params, x, y)
    else:
        import tapegrad as tf
        step = tapegrad_step_factory(tf, params, x, y)
        for _ in range(steps):
            step()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked parent, so a
    # child would report the (larger) benchmark process's peak.
    try:
        with open("/proc/self/status") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"maxrss_kb": kb}))


def bench_memory():
    out = {}
    for kind in ("numpy", "tapegrad"):
        res = subprocess.run([sys.executable, __file__, "--peak-child", kind],
                             capture_output=True, text=True, check=True, env=os.environ.copy())
        out[kind] = json.loads(res.stdout.strip().splitlines()[-1])["maxrss_kb"]
    return {"numpy_peak_mb": out["numpy"] / 1024, "tapegrad_peak_mb": out["tapegrad"] / 1024,
            "tapegrad_vs_numpy": out["tapegrad"] / out["numpy"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="print the README's table")
    ap.add_argument("--peak-child", choices=["numpy", "tapegrad"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    _pin(args.threads)
    if args.peak_child:
        _peak_child(args.peak_child)
        return
    repeat = 3 if args.quick else 9
    result = {"chain": bench_chain(repeat), "mlp": bench_mlp(repeat), "memory": bench_memory()}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    if args.markdown:
        print(_markdown(result, args.threads, repeat))
        return
    print(f"BLAS threads: {args.threads}; medians of {repeat} runs")
    print("\n1. elementwise chain (999 ops), microseconds per op")
    print(f"{'shape':8} {'fwd+rec':>8} {'backward':>9} {'no tape':>8} {'numpy f+b':>10}")
    for r in result["chain"]:
        print(f"{str(tuple(r['shape'])):8} {r['forward_recording_us']:8.2f} "
              f"{r['backward_us']:9.2f} {r['forward_no_tape_us']:8.2f} "
              f"{r['numpy_fwd_plus_bwd_us']:10.2f}"
              + (f"   torch {r['torch_forward_recording_us']:.2f}/{r['torch_backward_us']:.2f}"
                 if "torch_backward_us" in r else ""))
    print("\n   diagnostics: recording cost of call-site capture (target <= 15%), "
          "check_numerics forward+backward (target <= 1.5x)")
    for r in result["chain"]:
        print(f"{str(tuple(r['shape'])):8} +{r['diagnostics_recording_cost'] * 100:5.1f}% "
              f"(fwd+rec without sites {r['recording_without_sites_us']:.2f} us)   "
              f"check_numerics {r['check_numerics_ratio']:.2f}x")
    print("\n2. MLP training step (forward, backward, SGD), milliseconds")
    for r in result["mlp"]:
        extra = f"   torch {r['torch_ms']:.2f} ms ({r['torch_vs_numpy']:.2f}x)" if "torch_ms" in r else ""
        print(f"{r['mlp']:6} numpy {r['numpy_ms']:.3f}  tapegrad {r['tapegrad_ms']:.3f}  "
              f"-> {r['tapegrad_vs_numpy']:.2f}x numpy{extra}")
    m = result["memory"]
    print(f"\n3. peak memory, large MLP process: numpy {m['numpy_peak_mb']:.1f} MB, tapegrad "
          f"{m['tapegrad_peak_mb']:.1f} MB -> {m['tapegrad_vs_numpy']:.2f}x")


def _markdown(result, threads, repeat):
    """The README's table: each figure with its target from the core issue."""
    c0, c1 = result["chain"]
    big, small = result["mlp"]
    m = result["memory"]
    rows = [
        ("chain, scalar: forward with recording, us/op", f"{c0['forward_recording_us']:.2f}", "<= 4"),
        ("chain, scalar: backward, us/op", f"{c0['backward_us']:.2f}", "<= 5"),
        ("chain, scalar: forward without a tape, us/op", f"{c0['forward_no_tape_us']:.2f}", ""),
        ("chain, 10 floats: forward with recording / backward, us/op",
         f"{c1['forward_recording_us']:.2f} / {c1['backward_us']:.2f}", ""),
        ("call-site capture, extra recording cost (scalar / 10 floats)",
         f"{100 * c0['diagnostics_recording_cost']:.0f}% / "
         f"{100 * c1['diagnostics_recording_cost']:.0f}%", "<= 15%"),
        ("check_numerics, forward + backward (scalar / 10 floats)",
         f"{c0['check_numerics_ratio']:.2f}x / {c1['check_numerics_ratio']:.2f}x", "<= 1.5x"),
        ("MLP step 784-512-512-10, batch 128, vs NumPy",
         f"{big['tapegrad_vs_numpy']:.2f}x ({big['tapegrad_ms']:.2f} ms)", "<= 1.05x"),
        ("MLP step 784-64-64-10, batch 32, vs NumPy",
         f"{small['tapegrad_vs_numpy']:.2f}x ({small['tapegrad_ms']:.3f} ms)", "<= 1.5x"),
        ("peak memory of the large step's process vs NumPy's",
         f"{m['tapegrad_vs_numpy']:.2f}x ({m['tapegrad_peak_mb']:.0f} MB)", "<= 1.2x"),
    ]
    out = [f"Medians of {repeat} runs (the two diagnostics rows: minimums of {5 * repeat} "
           f"alternating runs), BLAS threads pinned to {threads}, 2-core machine.", "",
           "| figure | tapegrad | target |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out)


if __name__ == "__main__":
    main()
