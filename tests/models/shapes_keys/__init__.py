"""Primary keys, defaults, constraints, foreign keys, indexes and comments."""
