-- Google Docs integration: templates, per-user OAuth tokens, generated documents.

CREATE TYPE document_status AS ENUM ('pending', 'ready', 'failed');

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

CREATE INDEX generated_documents_user_id_created_at_idx ON generated_documents (user_id, created_at DESC);
