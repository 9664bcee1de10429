"""Primitive ops, each declared with its gradient (see _core.registry.defop)."""
