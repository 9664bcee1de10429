"""``tapegrad demo``: train an MLP on the shipped 8x8 digits, report its gradients, checkpoint
and restore it, plot it, then show the seed articles' pitfalls explained."""
import gzip
import os
import tempfile
import time

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                    "digits.csv.gz")


def load_digits(seed=0, test_fraction=0.2):
    """(x_train, y_train, x_test, y_test): pixels scaled to [0, 1], a fixed shuffled split."""
    with gzip.open(DATA, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    x, y = table[:, :64] / 16.0, table[:, 64].astype(np.int32)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(len(x) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def make_model(tf, sizes=(64, 64, 10), seed=0):
    class MLP(tf.Module):
        def __init__(self):
            super().__init__(name="mlp")
            rng = np.random.default_rng(seed)
            self.layers = []
            for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
                w = rng.normal(0.0, np.sqrt(2.0 / a), size=(a, b)).astype(np.float32)
                self.layers.append((tf.Variable(w, name=f"dense_{i}/kernel"),
                                    tf.Variable(np.zeros(b, np.float32), name=f"dense_{i}/bias")))

        def __call__(self, x):
            for i, (w, b) in enumerate(self.layers):
                x = tf.matmul(x, w) + b
                if i < len(self.layers) - 1:
                    x = tf.nn.relu(x)
            return x
    return MLP()


def accuracy(tf, model, x, y):
    return float(np.mean(np.argmax(model(tf.constant(x)).numpy(), axis=1) == y))


def _progress(iterable, desc, total):
    try:
        from tqdm import tqdm
        return tqdm(iterable, desc=desc, total=total, leave=True, ncols=88)
    except ImportError:
        return iterable


def train(tf, epochs, out, batch=32, quick=False):
    x_tr, y_tr, x_te, y_te = load_digits()
    model = make_model(tf)
    opt = tf.optimizers.Adam(learning_rate=0.01 if quick else 0.005)
    losses, flows = [], []
    rng = np.random.default_rng(1)
    steps = int(np.ceil(len(x_tr) / batch))
    first_report = None
    for epoch in range(epochs):
        order = rng.permutation(len(x_tr))
        bar = _progress(range(steps), f"epoch {epoch + 1}/{epochs}", steps)
        total = 0.0
        for s in bar:
            idx = order[s * batch:(s + 1) * batch]
            xb, yb = tf.constant(x_tr[idx]), tf.constant(y_tr[idx])
            with tf.GradientTape() as tape:
                logits = model(xb)
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits))
            variables = model.trainable_variables
            if first_report is None:
                first_report = tf.debugging.gradient_report(tape, loss, list(variables))
                grads = first_report.gradients
            else:
                grads = tape.gradient(loss, variables)
            opt.apply_gradients(zip(grads, variables))
            total += float(loss.numpy())
            flows.append([float(np.linalg.norm(np.asarray(g.numpy()))) for g in grads])
            if hasattr(bar, "set_postfix"):
                bar.set_postfix(loss=f"{total / (s + 1):.3f}")
        losses.append(total / steps)
        acc = accuracy(tf, model, x_te, y_te)
        if not hasattr(bar, "set_postfix"):
            out(f"epoch {epoch + 1}/{epochs}: loss {losses[-1]:.4f}, test accuracy {acc:.4f}")
        else:
            bar.close()
            out(f"  test accuracy {acc:.4f}")
        if epoch == 0:
            out("\nGradient report after the first step:")
            out(str(first_report))
            out("")
    return model, opt, losses, flows, (x_te, y_te)


def checkpoint_round_trip(tf, model, opt, test, out):
    x_te, y_te = test
    acc = accuracy(tf, model, x_te, y_te)
    with tempfile.TemporaryDirectory() as d:
        path = tf.train.Checkpoint(model=model, optimizer=opt).save(os.path.join(d, "demo"))
        fresh = make_model(tf, seed=123)
        tf.train.Checkpoint(model=fresh).restore(path).expect_partial()
        acc2 = accuracy(tf, fresh, x_te, y_te)
    out(f"checkpoint: saved and restored into a fresh model: test accuracy {acc:.4f} -> "
        f"{acc2:.4f} ({'identical' if acc == acc2 else 'DIFFERENT'})")
    return acc, acc2


def plots(losses, flows, out, directory="."):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        out("plots: matplotlib is not installed; `pip install tapegrad[plots]` to get loss.png "
            "and gradient_flow.png")
        return []
    paths = [os.path.join(directory, "loss.png"), os.path.join(directory, "gradient_flow.png")]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(range(1, len(losses) + 1), losses, marker="o")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean training loss")
    ax.set_title("tapegrad demo: 8x8 digits MLP")
    fig.tight_layout()
    fig.savefig(paths[0], dpi=100)
    plt.close(fig)
    arr = np.asarray(flows)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    names = ["dense_0/kernel", "dense_0/bias", "dense_1/kernel", "dense_1/bias"]
    for j in range(arr.shape[1]):
        ax.plot(arr[:, j], label=names[j] if j < len(names) else f"var {j}", linewidth=1)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("gradient L2 norm")
    ax.legend(fontsize=7)
    ax.set_title("gradient flow per variable")
    fig.tight_layout()
    fig.savefig(paths[1], dpi=100)
    plt.close(fig)
    out(f"plots: wrote {paths[0]} and {paths[1]}")
    return paths


def main(argv=None, out=print):
    import argparse
    ap = argparse.ArgumentParser(prog="tapegrad demo", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer epochs, no plots (for tests)")
    ap.add_argument("--epochs", type=int, default=None)
    args = ap.parse_args(argv)
    import tapegrad as tf
    from . import pitfalls
    epochs = args.epochs or (3 if args.quick else 15)
    t0 = time.perf_counter()
    out(f"tapegrad demo: a 64-64-10 MLP on 1,797 8x8 handwritten digits, {epochs} epochs\n")
    model, opt, losses, flows, test = train(tf, epochs, out, quick=args.quick)
    x_te, y_te = test
    variables = list(model.trainable_variables)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.constant(y_te), logits=model(tf.constant(x_te))))
    out("\nGradient report at the end (test set):")
    out(str(tf.debugging.gradient_report(tape, loss, variables)))
    acc = accuracy(tf, model, x_te, y_te)
    out(f"\nfinal test accuracy: {acc:.4f}   ({time.perf_counter() - t0:.1f} s)")
    checkpoint_round_trip(tf, model, opt, test, out)
    if not args.quick:
        plots(losses, flows, out)
    out("\nThe seed articles' pitfalls, as TF programs run on tapegrad:")
    pitfalls.run_all(tf, out)
    return 0
