"""Benchmarks of regcert-xl at three sizes (see README.md here)."""
