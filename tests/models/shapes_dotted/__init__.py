"""Loaded by dotted module name (`shapes_dotted.catalog`), not by path."""
