DROP INDEX generated_documents_user_id_created_at_idx;
DROP TABLE generated_documents;
DROP TABLE google_auth_tokens;
DROP TABLE resume_templates;
DROP TYPE document_status;
