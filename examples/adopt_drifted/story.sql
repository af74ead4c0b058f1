-- A team's PostgreSQL database as years of drift left it (the case this
-- project exists for). Run by schema-cli/tests/migrate/init.rs
-- (`the_drifted_database_of_the_story_is_adopted`) and by hand as README's
-- "Adopt a drifted database" says.

-- sqlx ran migrations 1 and 2, and recorded them.
CREATE TABLE _sqlx_migrations (
    version bigint PRIMARY KEY,
    description text NOT NULL,
    installed_on timestamptz NOT NULL DEFAULT now(),
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body text NOT NULL
);
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES
    (20240101000000, 'users', true, '\x01', 1),
    (20240102000000, 'posts', true, '\x02', 1);

-- Migration 3, `add_tags`, was committed empty; the tables it should have
-- made were created by hand (an ORM's create_all()), with a third one.
CREATE TABLE tags (
    id serial,
    name text NOT NULL
);
CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id),
    tag_id integer NOT NULL
);
CREATE TABLE audit_log (
    at timestamptz NOT NULL DEFAULT now(),
    what text NOT NULL
);

-- Primary keys added on the server only, never in a migration.
ALTER TABLE tags ADD PRIMARY KEY (id);
ALTER TABLE post_tags ADD PRIMARY KEY (post_id, tag_id);
ALTER TABLE post_tags ADD FOREIGN KEY (tag_id) REFERENCES tags (id);

-- A blind stamp: migrations 3 and 4 recorded as applied without anyone
-- checking (4 would have added `posts.published_at`, which is not there).
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES
    (20240103000000, 'add tags', true, '\x03', 0),
    (20240104000000, 'published at', true, '\x04', 0);

-- Some rows, so that adopting is seen to keep them.
INSERT INTO users (email) VALUES ('ada@example.com'), ('grace@example.com');
INSERT INTO posts (user_id, body) VALUES (1, 'hello'), (2, 'world');
INSERT INTO tags (name) VALUES ('intro');
INSERT INTO post_tags VALUES (1, 1);
INSERT INTO audit_log (what) VALUES ('imported');
