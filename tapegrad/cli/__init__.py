"""Command-line entry points: ``tapegrad demo`` and ``tapegrad doctor``."""
