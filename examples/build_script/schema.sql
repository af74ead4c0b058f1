-- The declared schema of a tiny blog. Change it, then add a migration
-- (`schema new <slug>`): the build fails until the two agree.

CREATE TYPE post_status AS ENUM ('draft', 'published');

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    status post_status NOT NULL DEFAULT 'draft'
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
