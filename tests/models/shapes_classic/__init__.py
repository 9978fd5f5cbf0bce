"""Classic declarative style: `Column(...)` class attributes."""
