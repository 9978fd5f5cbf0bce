"""Mixins, `__abstract__` bases and `column_property` expressions."""
