"""Models of the end-to-end tests: every column type crudgen supports, and unusual keys."""
