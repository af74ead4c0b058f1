-- schema.sql: the declared schema of the resume app.
--
-- This file is the single source of truth. The committed history in migrations/
-- must replay to exactly this schema; the build fails when the two disagree.
-- Statements are ordered so that every referenced table or type comes first.

CREATE TYPE document_status AS ENUM ('pending', 'ready', 'failed');

CREATE TABLE users (
    id serial PRIMARY KEY,
    username varchar(50) UNIQUE NOT NULL,
    password varchar(200) NOT NULL,
    email varchar(100) UNIQUE NOT NULL,
    first_name varchar(50),
    last_name varchar(50),
    city varchar(100),
    country varchar(100),
    bio varchar(200),
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL
);

CREATE TABLE resumes (
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    serial_number integer NOT NULL,
    title varchar(200) NOT NULL,
    content text NOT NULL,
    structured json,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    CONSTRAINT resumes_pkey PRIMARY KEY (user_id, serial_number)
);

CREATE TABLE job_descriptions (
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    serial_number integer NOT NULL,
    title varchar(200) NOT NULL,
    content text NOT NULL,
    structured json,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    keywords json,
    PRIMARY KEY (user_id, serial_number)
);

CREATE TABLE user_sites (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resume_serial integer NOT NULL,
    subdomain varchar(63) UNIQUE NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    UNIQUE (user_id, resume_serial),
    CONSTRAINT user_sites_resume_fkey FOREIGN KEY (user_id, resume_serial)
        REFERENCES resumes (user_id, serial_number) ON DELETE CASCADE
);

CREATE TABLE resume_templates (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE,
    style_config json NOT NULL,
    sections json NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE google_auth_tokens (
    id serial PRIMARY KEY,
    user_id integer NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    access_token text NOT NULL,
    refresh_token text,
    token_expiry timestamptz,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL
);

CREATE TABLE generated_documents (
    id serial PRIMARY KEY,
    user_id integer NOT NULL,
    resume_id integer NOT NULL,
    template_id integer NOT NULL REFERENCES resume_templates (id),
    google_doc_id varchar(200) NOT NULL,
    status document_status NOT NULL DEFAULT 'pending',
    created_at timestamp NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, resume_id) REFERENCES resumes (user_id, serial_number) ON DELETE CASCADE
);

CREATE INDEX resumes_user_id_updated_at_idx ON resumes (user_id, updated_at DESC);
CREATE INDEX generated_documents_user_id_created_at_idx ON generated_documents (user_id, created_at DESC);

COMMENT ON TABLE users IS 'Registered accounts; one row per person.';
COMMENT ON COLUMN resumes.serial_number IS 'Per-user resume number, starting at 1.';
COMMENT ON COLUMN resumes.structured IS 'Parsed resume sections as JSON; NULL until parsed.';
COMMENT ON TABLE generated_documents IS 'Google Docs rendered from a resume with a template.';
COMMENT ON COLUMN google_auth_tokens.token_expiry IS 'When access_token expires; NULL if unknown.';
