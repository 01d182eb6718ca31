-- Run once by the postgres image when its volume is new (docker-compose.yml): the role the app
-- connects as. It owns nothing; `npm run migrate` (as the owner, POSTGRES_USER) grants it what
-- the app needs after every deploy (scripts/migrate.ts, grantAppRole).
CREATE ROLE therapy_app LOGIN PASSWORD 'therapy_app';
