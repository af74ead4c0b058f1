CREATE TABLE accounts (
    id integer,
    email text,
    owner_id integer,
    balance numeric
);

ALTER TABLE accounts ADD PRIMARY KEY (id);
ALTER TABLE accounts ADD UNIQUE (email);
ALTER TABLE accounts ADD FOREIGN KEY (owner_id) REFERENCES accounts (id);
ALTER TABLE accounts ADD CHECK (balance >= 0);
ALTER TABLE accounts ADD CONSTRAINT owner_not_self CHECK (owner_id <> id);
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE accounts ADD COLUMN code text UNIQUE;
ALTER TABLE accounts ALTER COLUMN balance SET DEFAULT 0;
