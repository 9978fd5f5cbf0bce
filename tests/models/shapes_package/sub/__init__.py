"""A subpackage: crudgen walks into it too."""
