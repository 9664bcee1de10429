"""``python -m tapegrad demo | doctor SCRIPT [ARGS...]``."""
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tapegrad demo [--quick]\n       tapegrad doctor [--tensorflow] "
              "[--verbose] SCRIPT [ARGS...]")
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "demo":
        from .cli import demo
        return demo.main(rest)
    if cmd == "doctor":
        from .cli import doctor
        return doctor.main(rest)
    print(f"tapegrad: unknown command {cmd!r} (try: demo, doctor)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
