from sqlalchemy.orm import DeclarativeBase


class MultiBase(DeclarativeBase):
    pass
