"""planlens: Chinese work plans → outlines, commitments, measures and comparisons."""
__version__ = "0.1.0"
