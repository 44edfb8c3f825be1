-- 0005: 已核实 on the 数据质量 page: an analyst's word that a figure flagged as not adding up or jumping is right
-- (or has been taken up with its agency), with a note. Never deleted; the audit log has the same row.
CREATE TABLE quality_reviews (
    line_key       VARCHAR PRIMARY KEY,  -- metrics.quality.Line.key: kind, figure, month and submission
    kind           VARCHAR NOT NULL,     -- metrics.quality.KINDS: total_mismatch | city_mismatch | …
    submission_id  INTEGER,
    indicator_code VARCHAR,
    region_code    VARCHAR,
    period         DATE,
    summary        VARCHAR NOT NULL,     -- what the line said when it was reviewed (Chinese)
    note           VARCHAR NOT NULL,
    reviewed_by    VARCHAR NOT NULL,
    reviewed_at    TIMESTAMP NOT NULL
);
