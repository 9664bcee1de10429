"""Prints the arguments it was given."""
import sys

print("args:", sys.argv[1:])
