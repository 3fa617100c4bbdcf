"""Benchmark scripts; each runs alone (`python bench/<name>.py --help`)."""
