from sqlalchemy.orm import DeclarativeBase


class PackageBase(DeclarativeBase):
    pass
