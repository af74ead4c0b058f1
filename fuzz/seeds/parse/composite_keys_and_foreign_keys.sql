CREATE TABLE resumes (
    user_id integer NOT NULL,
    serial_number integer NOT NULL,
    title text,
    PRIMARY KEY (user_id, serial_number),
    UNIQUE (title, user_id)
);

CREATE TABLE documents (
    id serial PRIMARY KEY,
    user_id integer NOT NULL,
    resume_serial integer NOT NULL,
    FOREIGN KEY (user_id, resume_serial) REFERENCES resumes (user_id, serial_number) ON DELETE CASCADE
);

CREATE TABLE swapped (
    a integer,
    b integer,
    FOREIGN KEY (b, a) REFERENCES resumes (serial_number, user_id)
);
