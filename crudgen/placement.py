"""Where the generated files go, and how each one imports the others.

By default everything lives in the output directory: the package, its `hooks/` (the user's
modules, created once) and, with `with_tests`, its `tests/`. `hooks_dir` and `tests_dir`
move those two elsewhere, so that removing the generated package never removes user code,
and the emitted tests can sit in the project's own test tree.

A file imports another relatively when both sit inside one package (the hooks of
`app/generated` in `app/hooks`: `from ...hooks import post`), and by its absolute name from
the project root otherwise (tests in `tests/api` import `app.generated`).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from crudgen.config import Config, locate_setting
from crudgen.errors import ConfigError, Location

HOOKS = "hooks"
TESTS = "tests"


@dataclass(frozen=True)
class Placement:
    out_dir: Path  # absolute, normalised
    project_root: Path  # the directory imports start from (where pyproject.toml is)
    hooks: str  # the hooks package, relative to out_dir ("hooks", "../hooks")
    tests: str  # the emitted tests' package, relative to out_dir

    def path(self, directory: str, name: str) -> str:
        """A file's path relative to the output directory, as the plan keeps it."""
        return posixpath.normpath(posixpath.join(directory, name))

    def importer(self, file_path: str) -> ModuleImports:
        """How the file at `file_path` (relative to out_dir) imports modules of the package."""
        return ModuleImports(self, posixpath.dirname(file_path))

    def absolute_module(self, relative_path: str) -> str:
        """The dotted name, from the project root, of a directory relative to out_dir."""
        location = _joined(self.out_dir, relative_path)
        parts = location.relative_to(self.project_root).parts
        return ".".join(parts)

    def shares_package(self, here: str, there: str) -> bool:
        """Whether two directories (relative to out_dir) sit inside one package, below the
        project root, so one can import the other relatively."""
        places = [_joined(self.out_dir, here), _joined(self.out_dir, there)]
        common = Path(os.path.commonpath(places))
        if common.is_relative_to(self.out_dir):
            return True  # both inside the generated package, wherever that is
        return common != self.project_root and common.is_relative_to(self.project_root)


@dataclass(frozen=True)
class ModuleImports:
    """The imports of one generated file: `{{ package.module("hooks") }}` in a template."""

    placement: Placement
    here: str  # the file's directory, relative to out_dir

    def module(self, name: str) -> str:
        """How this file names the package's module `name` ("" is the package itself;
        "hooks" is the hooks package wherever it lives) in a `from ... import`."""
        target = self._directory_of(name)
        if not self.placement.shares_package(self.here, target):
            return self.placement.absolute_module(target)
        here = _joined(self.placement.out_dir, self.here)
        there = _joined(self.placement.out_dir, target)
        common = Path(os.path.commonpath([here, there]))
        ups = len(here.relative_to(common).parts)
        return "." * (ups + 1) + ".".join(there.relative_to(common).parts)

    def models(self, module: str) -> str:
        """A model's module as the IR names it: absolute as it is; relative (a YAML spec's
        `..models`, written from a module one level down) within the generated package."""
        if not module.startswith("."):
            return module
        return self.module(module.lstrip("."))

    def _directory_of(self, name: str) -> str:
        first, _, rest = name.partition(".")
        if first == HOOKS:
            first = self.placement.hooks
        elif first == TESTS:
            first = self.placement.tests
        return posixpath.normpath(posixpath.join(first, *rest.split("."))) if name else "."


def placement_of(config: Config) -> Placement:
    """The run's placement; a ConfigError when a moved directory cannot work."""
    root = _normalised(config.pyproject.parent if config.pyproject else Path.cwd())
    out_dir = _normalised(config.out_dir)
    placement = Placement(
        out_dir=out_dir,
        project_root=root,
        hooks=_relative(config.hooks_dir, out_dir, HOOKS),
        tests=_relative(config.tests_dir, out_dir, TESTS),
    )
    _check_hooks(placement, config)
    _check_tests(placement, config)
    return placement


def _check_hooks(placement: Placement, config: Config) -> None:
    if config.hooks_dir is None:
        return
    _check_own_directory(placement.hooks, "hooks_dir", config)
    if not placement.shares_package(".", placement.hooks):
        raise ConfigError(
            f"hooks_dir {config.hooks_dir} is not inside the package that holds out "
            f"({config.out_dir}): the generated modules could not import it",
            location=_setting(config, "hooks_dir"),
            hint="put the hooks beside the generated package, in the same package "
            '(out = "app/generated", hooks_dir = "app/hooks")',
        )
    _check_importable(placement, placement.hooks, "hooks_dir", config)


def _check_tests(placement: Placement, config: Config) -> None:
    if config.tests_dir is None:
        return
    _check_own_directory(placement.tests, "tests_dir", config)
    if not placement.shares_package(placement.tests, "."):
        _check_importable(placement, ".", "out", config)  # the tests import it by name
    _check_importable(placement, placement.tests, "tests_dir", config)


def _check_own_directory(directory: str, key: str, config: Config) -> None:
    """A moved directory is a package of its own: not the output directory itself, nor one
    of the generated subpackages."""
    if directory == "." or directory.split("/")[0] in ("crud", "schemas", "routers"):
        raise ConfigError(
            f"{key} must be a directory of its own, not the generated package or a part of it",
            location=_setting(config, key),
            hint=f'name a directory such as "app/hooks" or "tests/api" for {key}',
        )


def _check_importable(placement: Placement, directory: str, key: str, config: Config) -> None:
    location = _joined(placement.out_dir, directory)
    if not location.is_relative_to(placement.project_root):
        raise ConfigError(
            f"{key} ({location}) is outside the project ({placement.project_root}), so "
            "Python cannot import it from there",
            location=_setting(config, key),
            hint=f"choose a {key} inside the directory that holds pyproject.toml",
        )
    parts = location.relative_to(placement.project_root).parts
    invalid = [part for part in parts if not part.isidentifier()]
    if invalid:
        raise ConfigError(
            f"{key} ({location}) cannot be imported: {invalid[0]!r} is not a Python name",
            location=_setting(config, key),
            hint="use directory names that are Python identifiers (letters, digits, _)",
        )


def _setting(config: Config, key: str) -> Location | None:
    """The line of [tool.crudgen] that sets `key`."""
    return locate_setting(config.pyproject, (key,)) if config.pyproject else None


def _relative(directory: Path | None, out_dir: Path, default: str) -> str:
    if directory is None:
        return default
    return Path(os.path.relpath(_normalised(directory), out_dir)).as_posix()


def _joined(base: Path, relative: str) -> Path:
    return Path(posixpath.normpath((base / relative).as_posix()))


def _normalised(path: Path) -> Path:
    return Path(os.path.abspath(path))
