-- Index for "latest resumes of a user", and documentation comments.

CREATE INDEX resumes_user_id_updated_at_idx ON resumes (user_id, updated_at DESC);

COMMENT ON TABLE users IS 'Registered accounts; one row per person.';
COMMENT ON COLUMN resumes.serial_number IS 'Per-user resume number, starting at 1.';
COMMENT ON COLUMN resumes.structured IS 'Parsed resume sections as JSON; NULL until parsed.';
COMMENT ON TABLE generated_documents IS 'Google Docs rendered from a resume with a template.';
COMMENT ON COLUMN google_auth_tokens.token_expiry IS 'When access_token expires; NULL if unknown.';
