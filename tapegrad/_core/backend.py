"""The one module that names the array library. Ops import ``xp`` from here, never NumPy
directly, so another backend (CuPy on a GPU) can be added without touching op definitions."""
import numpy as xp  # noqa: F401

ndarray = xp.ndarray
generic = xp.generic
