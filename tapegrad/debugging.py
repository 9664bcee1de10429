"""``tf.debugging``: numerics checks (filled in by the diagnostics work)."""
