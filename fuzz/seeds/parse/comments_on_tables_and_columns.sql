CREATE TABLE notes (
    id integer PRIMARY KEY,
    body text,
    author text
);

COMMENT ON TABLE notes IS 'Free-form notes';
COMMENT ON COLUMN notes.body IS 'Markdown; may contain ''quotes''';
COMMENT ON COLUMN public.notes.author IS 'Who wrote it';
COMMENT ON COLUMN notes.id IS 'First comment';
COMMENT ON COLUMN notes.id IS 'Second comment wins';
COMMENT ON COLUMN notes.author IS NULL;
COMMENT ON TABLE notes IS E'Multi\nline';
