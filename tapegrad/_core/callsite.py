"""Cheap capture of the user's call site: the first frame whose code lives outside tapegrad.

A site is ``(code object, instruction offset)``: it keeps no frame (and so no locals) alive. The
line number is looked up only when a report is rendered (``site_line``): ``frame.f_lineno``
scans the code's line table from its start on every read, which costs more than the whole op
on a long function, while ``f_lasti`` is a plain field.
"""
import linecache
import os
import sys

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# NumPy's own frames are skipped too: np.mean(tensor) reaches __array__ from inside NumPy, and
# the line worth showing is the user's np.mean call.
_SKIP = (_PKG_DIR, os.path.dirname(os.path.abspath(__import__("numpy").__file__)) + os.sep)
# id(code) -> (code, belongs to tapegrad). Keyed by id because hashing a code object hashes its
# whole contents (name, bytecode, constants) on every call; keeping the code object in the value
# keeps the id from being reused.
_internal = {}


def _is_internal(code):
    r = code.co_filename.startswith(_SKIP)
    _internal[id(code)] = (code, r)
    return r


def user_site(depth=2):
    """The (code, line) of the nearest frame outside tapegrad, or None."""
    f = sys._getframe(depth)
    get = _internal.get
    while f is not None:
        code = f.f_code
        r = get(id(code))
        r = _is_internal(code) if r is None or r[0] is not code else r[1]
        if not r:
            return (code, f.f_lasti)
        f = f.f_back
    return None


_lines = {}  # (code, offset) -> line, filled as reports are rendered


def line_at(code, offset):
    """The source line of the instruction at byte ``offset`` of ``code``."""
    key = (code, offset)
    line = _lines.get(key)
    if line is None:
        line = code.co_firstlineno
        for start, end, n in code.co_lines():
            if start <= offset < end:
                if n is not None:
                    line = n
                break
            if n is not None:
                line = n
        _lines[key] = line
    return line


def site_file(site):
    return site[0].co_filename if site else None


def site_line(site):
    return line_at(site[0], site[1]) if site else None


def site_text(site):
    """The stripped source line of a site ('' when unavailable)."""
    if not site:
        return ""
    return linecache.getline(site[0].co_filename, site_line(site)).strip()


def format_site(site):
    if not site:
        return "<unknown>"
    return f"{os.path.relpath(site[0].co_filename) if not site[0].co_filename.startswith('<') else site[0].co_filename}:{site_line(site)}"
