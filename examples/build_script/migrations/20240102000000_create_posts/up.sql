CREATE TYPE post_status AS ENUM ('draft', 'published');

CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    status post_status NOT NULL DEFAULT 'draft'
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
