"""``tapegrad demo``: train an MLP on the shipped 8x8 digits, report its gradients, checkpoint
and restore it, plot it, then run the seed articles' pitfalls and explain each one."""
import gzip
import os
import tempfile
import time

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                    "digits.csv.gz")
SIZES = (64, 64, 10)


def load_digits(seed=0, test_fraction=0.2):
    """(x_train, y_train, x_test, y_test): pixels scaled to [0, 1], a fixed shuffled split."""
    with gzip.open(DATA, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    x, y = table[:, :64] / 16.0, table[:, 64].astype(np.int32)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(len(x) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def make_model(tf, seed=0):
    """A ReLU MLP as a tf.Module; He-initialised from ``seed``."""
    class MLP(tf.Module):
        def __init__(self):
            super().__init__(name="mlp")
            rng = np.random.default_rng(seed)
            self.layers = []
            for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
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


def loss_fn(tf, logits, labels):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                         logits=logits))


def accuracy(tf, model, x, y):
    return float(np.mean(np.argmax(model(tf.constant(x)).numpy(), axis=1) == y))


def report_table(report, variables):
    """The gradient report per layer: variable, status, norm, fraction of zeros, cause."""
    head = ("layer", "variable", "status", "norm", "zeros", "cause")
    rows = [(v.name.split("/")[0], v.name.split("/")[1].split(":")[0], r.status,
             "-" if r.norm is None else f"{r.norm:.4f}",
             "-" if r.zero_fraction is None else f"{100 * r.zero_fraction:.0f}%", r.cause)
            for v, r in zip(variables, report.rows)]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    return "\n".join("  " + "  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip()
                     for row in [head] + rows)


class _Progress:
    """A tqdm bar per epoch when tqdm is installed (an optional extra); else one plain line
    per epoch through ``out``."""

    def __init__(self, steps, desc, out, enabled):
        self.out, self.desc, self.bar = out, desc, None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=steps, desc=desc, leave=True, ncols=96,
                                bar_format="{desc}: {percentage:3.0f}%|{bar}| "
                                           "{n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    def step(self, loss, acc):
        if self.bar is not None:
            self.bar.set_postfix_str(f"loss {loss:.4f}, accuracy {acc:.3f}", refresh=False)
            self.bar.update(1)

    def close(self, loss, acc, test_acc):
        text = f"loss {loss:.4f}, accuracy {acc:.3f}, test accuracy {test_acc:.4f}"
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=False)
            self.bar.close()
        else:
            self.out(f"{self.desc}: {text}")


def train(tf, epochs, out, batch=32, learning_rate=0.005, progress=True):
    """Mini-batch Adam on the training split; returns what the later sections need."""
    x_tr, y_tr, x_te, y_te = load_digits()
    model = make_model(tf)
    opt = tf.keras.optimizers.Adam(learning_rate=learning_rate)
    variables = list(model.trainable_variables)
    rng = np.random.default_rng(1)
    steps = int(np.ceil(len(x_tr) / batch))
    losses, flows, first = [], [], None
    for epoch in range(epochs):
        order = rng.permutation(len(x_tr))
        bar = _Progress(steps, f"epoch {epoch + 1:2d}/{epochs}", out, progress)
        total = correct = seen = 0
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            xb, yb = tf.constant(x_tr[idx]), tf.constant(y_tr[idx])
            with tf.GradientTape() as tape:
                logits = model(xb)
                loss = loss_fn(tf, logits, yb)
            if first is None:   # the report computes the gradients it classifies
                first = tf.debugging.gradient_report(tape, loss, variables)
                grads = first.gradients
            else:
                grads = tape.gradient(loss, variables)
            opt.apply_gradients(zip(grads, variables))
            total += float(loss) * len(idx)
            correct += int(np.sum(np.argmax(logits.numpy(), axis=1) == y_tr[idx]))
            seen += len(idx)
            flows.append([float(tf.norm(g)) for g in grads])
            bar.step(total / seen, correct / seen)
        losses.append(total / seen)
        bar.close(total / seen, correct / seen, accuracy(tf, model, x_te, y_te))
        if epoch == 0:
            out("\nGradient report after the first step:")
            out(report_table(first, variables) + "\n")
    return model, opt, losses, flows, (x_te, y_te)


def final_report(tf, model, test):
    x_te, y_te = test
    variables = list(model.trainable_variables)
    with tf.GradientTape() as tape:
        loss = loss_fn(tf, model(tf.constant(x_te)), tf.constant(y_te))
    return report_table(tf.debugging.gradient_report(tape, loss, variables), variables)


def checkpoint_round_trip(tf, model, opt, test, out):
    """Save model and optimizer, restore both into fresh objects, compare."""
    x_te, y_te = test
    acc = accuracy(tf, model, x_te, y_te)
    with tempfile.TemporaryDirectory() as d:
        path = tf.train.Checkpoint(model=model, optimizer=opt).save(os.path.join(d, "digits"))
        fresh = make_model(tf, seed=123)
        fresh_opt = tf.keras.optimizers.Adam(learning_rate=0.005)
        tf.train.Checkpoint(model=fresh, optimizer=fresh_opt).restore(path)
        acc2 = accuracy(tf, fresh, x_te, y_te)
    same = all(np.array_equal(a.numpy(), b.numpy())
               for a, b in zip(model.trainable_variables, fresh.trainable_variables))
    out("checkpoint: saved model and optimizer, restored into a fresh model (different "
        "initial weights)")
    out(f"  test accuracy before save {acc:.4f}, after restore {acc2:.4f}: "
        f"{'identical' if acc == acc2 and same else 'DIFFERENT'}")
    return acc, acc2


def plots(losses, flows, out, directory="."):
    """loss.png and gradient_flow.png when matplotlib (an optional extra) is installed."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        out("plots: matplotlib is not installed; `pip install tapegrad[plots]` to get "
            "loss.png and gradient_flow.png")
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
    names = [f"dense_{i // 2}/{'kernel' if i % 2 == 0 else 'bias'}" for i in range(arr.shape[1])]
    for j in range(arr.shape[1]):
        ax.plot(arr[:, j], label=names[j], linewidth=1)
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
    ap = argparse.ArgumentParser(
        prog="tapegrad demo", description="Train an MLP on the shipped 8x8 digits, report its "
        "gradients, checkpoint and restore it, plot it, then explain the seed articles' "
        "pitfalls.")
    ap.add_argument("--quick", action="store_true",
                    help="3 epochs at a higher learning rate, no plots (for the tests)")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--no-progress", action="store_true", help="plain lines, no tqdm bars")
    ap.add_argument("--plots-dir", default=".", help="where loss.png and gradient_flow.png go")
    args = ap.parse_args(argv)
    import tapegrad as tf
    from . import pitfalls
    epochs = args.epochs or (3 if args.quick else 15)
    out(f"tapegrad demo: a {'-'.join(map(str, SIZES))} MLP on the 1,797 8x8 handwritten digits "
        f"(UCI), {epochs} epochs of Adam\n")
    t0 = time.perf_counter()
    model, opt, losses, flows, test = train(
        tf, epochs, out, learning_rate=0.01 if args.quick else 0.005,
        progress=not args.no_progress)
    seconds = time.perf_counter() - t0
    out("\nGradient report at the end (test set):")
    out(final_report(tf, model, test))
    acc = accuracy(tf, model, *test)
    out(f"\nfinal test accuracy: {acc:.4f} ({len(test[1])} test images; training took "
        f"{seconds:.1f} s)")
    checkpoint_round_trip(tf, model, opt, test, out)
    if not args.quick:
        plots(losses, flows, out, args.plots_dir)
    out("\nThe seed articles' pitfalls, as TF programs run on tapegrad "
        "(`import tensorflow as tf` resolves to tapegrad):")
    ok = pitfalls.show_all(out)
    return 0 if ok else 1
