-- Public resume sites: one subdomain per (user, resume).

CREATE TABLE user_sites (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resume_serial integer NOT NULL,
    subdomain varchar(63) UNIQUE NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    UNIQUE (user_id, resume_serial)
);

ALTER TABLE user_sites ADD CONSTRAINT user_sites_resume_fkey FOREIGN KEY (user_id, resume_serial)
    REFERENCES resumes (user_id, serial_number) ON DELETE CASCADE;
