"""A script that ends with sys.exit(3): a failure of the script, not a finding."""
import sys
import tapegrad as tf

print(float(tf.constant(1.0) + 1.0))
sys.exit(3)
