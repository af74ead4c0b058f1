ALTER TABLE job_descriptions DROP COLUMN keywords;
