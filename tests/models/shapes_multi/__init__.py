"""Models spread over several files, passed to crudgen together."""
