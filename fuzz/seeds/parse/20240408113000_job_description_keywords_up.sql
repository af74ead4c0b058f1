-- Keywords extracted from a job description, as a JSON array of strings.

ALTER TABLE job_descriptions ADD COLUMN keywords json;
