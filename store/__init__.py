"""The DuckDB store: the only package that opens the database (migrations in store/migrations/)."""

from store.database import (
    OBSERVATION_SCHEMA,
    REGISTER_TABLES,
    CommitResult,
    Store,
    StoreError,
    SubmissionDraft,
    db_path,
)

__all__ = ["OBSERVATION_SCHEMA", "REGISTER_TABLES", "CommitResult", "Store", "StoreError", "SubmissionDraft",
           "db_path"]
