"""Gradient spec tables, one module per op family; ``tests/grad_specs.py`` gathers them."""
