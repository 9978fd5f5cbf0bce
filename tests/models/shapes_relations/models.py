"""Many-to-one, one-to-many, one-to-one, many-to-many, self-referential, backref."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class RelBase(DeclarativeBase):
    pass


course_students = Table(
    "course_students",
    RelBase.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
)


class School(RelBase):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))

    students: Mapped[list[Student]] = relationship(back_populates="school")
    principal: Mapped[Principal | None] = relationship(back_populates="school", uselist=False)


class Principal(RelBase):
    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), unique=True)

    school: Mapped[School] = relationship(back_populates="principal")


class Student(RelBase):
    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))

    school: Mapped[School | None] = relationship(back_populates="students")
    courses: Mapped[list[Course]] = relationship(
        secondary=course_students, back_populates="students"
    )
    mentor: Mapped[Student | None] = relationship(
        remote_side="Student.id", back_populates="mentees"
    )
    mentees: Mapped[list[Student]] = relationship(back_populates="mentor")


class Course(RelBase):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))

    students: Mapped[list[Student]] = relationship(
        secondary="course_students", back_populates="courses"
    )


class Locker(RelBase):
    """Declares only one side; the other comes from `backref`."""

    __tablename__ = "lockers"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))

    school = relationship("School", backref="lockers")
