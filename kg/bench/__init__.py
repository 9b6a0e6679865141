"""Benchmarks: scripts that print scores and speeds."""
