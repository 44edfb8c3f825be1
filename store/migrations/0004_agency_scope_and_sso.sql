-- 0004: an analyst may be limited to one reporting agency (as well as, or instead of, one unit), and an
-- account may come from the organisation's single sign-on (its role follows the provider's claim at each
-- login; it has no password here).
ALTER TABLE users ADD COLUMN agency VARCHAR;            -- unit name (data/units.toml) whose figures it may load
ALTER TABLE users ADD COLUMN origin VARCHAR DEFAULT 'local';  -- 'local' (password) | 'sso' (st.login)
