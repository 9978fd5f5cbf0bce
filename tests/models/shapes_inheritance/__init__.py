"""Inheritance hierarchies: crudgen skips them with a warning, and must not crash."""
