"""Imports a missing module whose name is a prefix of this module's own name.

`broken_settings_user` fails on `import broken_settings`: the error is the missing
dependency at this line, not "no such module broken_settings_user".
"""

from broken_settings import DATABASE_URL  # PREFIX-MISSING-HERE

__all__ = ["DATABASE_URL"]
