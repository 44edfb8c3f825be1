-- 0007: learned mappings (domain/mappings.py): an analyst's answer to a question the reader asked about a file,
-- kept so the next file from that agency goes in without it. Never deleted: removing one stamps removed_*;
-- at most one active row per (kind, agency, key), kept so by store/mappings.py inside the writing transaction.
CREATE SEQUENCE learned_mapping_ids START 1;
CREATE TABLE learned_mappings (
    id         INTEGER PRIMARY KEY DEFAULT nextval('learned_mapping_ids'),
    kind       VARCHAR NOT NULL CHECK (kind IN ('indicator', 'region', 'period', 'register_field')),
    agency     VARCHAR NOT NULL,       -- '' = any agency
    text       VARCHAR NOT NULL,       -- as the file wrote it
    key        VARCHAR NOT NULL,       -- normalised by the reader
    target     VARCHAR NOT NULL,       -- indicator / region code, YYYY-MM, register field; '' = 不导入
    file_name  VARCHAR,
    cell       VARCHAR,                -- sheet!cell where it was asked
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    removed_by VARCHAR,
    removed_at TIMESTAMP
);
