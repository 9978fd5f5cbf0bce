"""Model shapes real projects use, written for crudgen's tests (issue 13).

Each module has its own declarative base, so the mapper registries never mix, and is
generated on its own by tests/e2e/test_real_shapes.py (or listed there as a shape that
still needs a template change).
"""
