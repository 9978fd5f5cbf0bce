"""A models file with a syntax error. Never imported except by the error test."""

from sqlalchemy.orm import DeclarativeBase


class SyntaxBase(DeclarativeBase)  # SYNTAX-ERROR-HERE: missing colon
    pass
