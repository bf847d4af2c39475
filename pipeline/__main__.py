"""`python -m pipeline` runs the planlens command line."""
from .cli import main

main()
