"""Cheap capture of the user's call site: the first frame whose code lives outside tapegrad.

A site is ``(code object, line number)``: it keeps no frame (and so no locals) alive, and is
turned into a file name and source line only when a report is rendered.
"""
import linecache
import os
import sys

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# NumPy's own frames are skipped too: np.mean(tensor) reaches __array__ from inside NumPy, and
# the line worth showing is the user's np.mean call.
_SKIP = (_PKG_DIR, os.path.dirname(os.path.abspath(__import__("numpy").__file__)) + os.sep)
_internal = {}  # code object -> True when it belongs to tapegrad (memoised: one dict hit per frame)


def _is_internal(code):
    r = _internal.get(code)
    if r is None:
        r = _internal[code] = code.co_filename.startswith(_SKIP)
    return r


def user_site(depth=2):
    """The (code, line) of the nearest frame outside tapegrad, or None."""
    f = sys._getframe(depth)
    get = _internal.get
    while f is not None:
        code = f.f_code
        r = get(code)
        if r is None:
            r = _is_internal(code)
        if not r:
            return (code, f.f_lineno)
        f = f.f_back
    return None


def site_file(site):
    return site[0].co_filename if site else None


def site_line(site):
    return site[1] if site else None


def site_text(site):
    """The stripped source line of a site ('' when unavailable)."""
    if not site:
        return ""
    return linecache.getline(site[0].co_filename, site[1]).strip()


def format_site(site):
    if not site:
        return "<unknown>"
    return f"{os.path.relpath(site[0].co_filename) if not site[0].co_filename.startswith('<') else site[0].co_filename}:{site[1]}"
