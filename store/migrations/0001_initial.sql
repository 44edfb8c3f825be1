-- 0001: files, submissions, observations, registers and the audit log. Nothing is ever deleted:
-- submissions change status.
CREATE SEQUENCE submission_id_seq START 1;

CREATE TABLE files (
    sha256      VARCHAR PRIMARY KEY,
    file_name   VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    content     BLOB NOT NULL,          -- the original upload, byte for byte
    stored_at   TIMESTAMP NOT NULL
);

CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY DEFAULT nextval('submission_id_seq'),
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL REFERENCES files (sha256),
    agency         VARCHAR NOT NULL,    -- 报送单位, e.g. 人行武汉分行营管部
    dataset        VARCHAR NOT NULL,    -- what the file carries; a correction = same dataset + period
    period         DATE NOT NULL,       -- month end the file reports on
    uploader       VARCHAR NOT NULL,
    uploaded_at    TIMESTAMP NOT NULL,
    status         VARCHAR NOT NULL CHECK (status IN ('active', 'superseded', 'rolled_back')),
    supersedes     INTEGER,             -- the submission this one replaced, if any
    n_observations INTEGER NOT NULL,
    n_register_rows INTEGER NOT NULL,
    n_warnings     INTEGER NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE observations (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id),
    indicator_code VARCHAR NOT NULL,
    region_code    VARCHAR NOT NULL,
    period         DATE NOT NULL,       -- month end
    value          DOUBLE NOT NULL,     -- in the indicator's canonical unit
    origin         VARCHAR NOT NULL,    -- sheet!cell, or the register it was counted from
    is_computed    BOOLEAN NOT NULL,    -- counted or summed by us rather than reported
    PRIMARY KEY (submission_id, indicator_code, region_code, period)
);

CREATE TABLE institutions (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    row_no        INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    type          VARCHAR,
    parent_org    VARCHAR,
    region_code   VARCHAR,
    opened_on     DATE,
    origin        VARCHAR NOT NULL
);

CREATE TABLE funds (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    row_no        INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    type          VARCHAR,
    manager       VARCHAR,
    region_code   VARCHAR,
    size_yi_yuan  DOUBLE,
    registered_on DATE,
    origin        VARCHAR NOT NULL
);

CREATE TABLE seed_firms (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    row_no        INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    category      VARCHAR,              -- 金种子 | 银种子
    tier          VARCHAR,              -- 孵化层 | 加速层 | 冲刺层
    industry      VARCHAR,
    region_code   VARCHAR,
    selected_on   DATE,
    origin        VARCHAR NOT NULL
);

CREATE TABLE audit_log (
    logged_at   TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,       -- ingest | supersede | rollback | ...
    submission_id INTEGER,
    detail      VARCHAR
);
