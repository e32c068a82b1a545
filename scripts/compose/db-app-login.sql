-- compose.yaml only (a throw-away local database): the application's login, a member of drop_app,
-- which owns nothing. `drop` (POSTGRES_USER) owns the database and migrates it (DATABASE_OWNER_URL);
-- its migration grants drop_app its rights (packages/db/functions/grant_app_privileges.sql).
CREATE ROLE drop_app NOLOGIN;
CREATE ROLE drop_app_login LOGIN PASSWORD 'drop-app' IN ROLE drop_app;
