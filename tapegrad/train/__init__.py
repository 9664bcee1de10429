"""``tf.train``: checkpoints."""
from .checkpoint import (Checkpoint, CheckpointError, CheckpointManager,  # noqa: F401
                         latest_checkpoint)
