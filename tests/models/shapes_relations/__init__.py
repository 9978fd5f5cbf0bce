"""Every kind of relationship."""
