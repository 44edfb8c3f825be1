"""Shared fixtures: the registries, an empty database, and one demo database built per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.registry import DATA_DIR, Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/*.toml that a test may break."""
    target = tmp_path / "data"
    target.mkdir()
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Path:
    """The demo database, built once through the real loader (about half a minute)."""
    from loaders.demo import build_demo

    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.duckdb"
    build_demo(db, folder / "workbooks", registry)
    return db


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo database a test may write to."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    return db
