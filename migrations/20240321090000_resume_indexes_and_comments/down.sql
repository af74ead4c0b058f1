COMMENT ON COLUMN google_auth_tokens.token_expiry IS NULL;
COMMENT ON TABLE generated_documents IS NULL;
COMMENT ON COLUMN resumes.structured IS NULL;
COMMENT ON COLUMN resumes.serial_number IS NULL;
COMMENT ON TABLE users IS NULL;

DROP INDEX resumes_user_id_updated_at_idx;
