-- 0002: databases made before 0001 was trimmed carry three tables nothing ever wrote or read; the
-- features that need tasks, users and their history bring their own tables in later migrations.
DROP TABLE IF EXISTS task_updates;
DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS users;
