"""A package of models, passed to crudgen as a directory."""
