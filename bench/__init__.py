"""Benchmarks: each script prints a table and writes its figures under bench/results/."""
