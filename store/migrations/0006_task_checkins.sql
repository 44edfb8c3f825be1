-- 0006: task check-ins, a unit's word on where each of its tasks stands (loaders/checkins.py). Rows of a
-- submission like a register's: versioned, withdrawable and restorable with it.
CREATE TABLE task_checkins (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    row_no        INTEGER NOT NULL,
    task_id       VARCHAR NOT NULL,   -- data/tasks.toml id, e.g. WH2027-9
    unit          VARCHAR NOT NULL,   -- the reporting unit by its current name (data/units.toml)
    state         VARCHAR NOT NULL CHECK (state IN ('not_started', 'in_progress', 'done', 'behind')),
    progress      VARCHAR,
    evidence      VARCHAR,
    next_step     VARCHAR,
    figure        DOUBLE,
    figure_unit   VARCHAR,
    origin        VARCHAR NOT NULL    -- sheet!cell of the row
);
