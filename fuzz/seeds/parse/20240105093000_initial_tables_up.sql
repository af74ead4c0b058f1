-- Initial tables: users, their resumes and the job descriptions they target.

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
    PRIMARY KEY (user_id, serial_number)
);
