"""crudgen: generate a FastAPI CRUD layer from SQLAlchemy models."""

__version__ = "0.1.0"
