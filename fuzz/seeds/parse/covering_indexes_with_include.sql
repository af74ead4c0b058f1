CREATE TABLE invoices (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    total numeric(12, 2),
    issued_at date,
    note text
);

CREATE INDEX invoices_customer_idx ON invoices (customer_id) INCLUDE (total, issued_at);
CREATE UNIQUE INDEX invoices_id_cover_idx ON invoices (id, customer_id) INCLUDE (note);
CREATE INDEX ON invoices (issued_at DESC) INCLUDE (total) WHERE total > 0;
