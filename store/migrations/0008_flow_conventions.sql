-- 0008: how a file reported each flow indicator (科创债发行规模 …): year to date (累计, 1-10月) or the month's own
-- (当月), as the reader saw it in the file's words; JSON {indicator_code: "ytd" | "monthly"}, NULL when the file
-- said neither. A later file of the same indicator that says the other is flagged as a switch of convention.
ALTER TABLE submissions ADD COLUMN flow_conventions VARCHAR;
