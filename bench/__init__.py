"""Benchmarks: `python -m bench` (or `make bench`). Results are printed and written to bench/results/."""
