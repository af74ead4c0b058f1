DROP TABLE job_descriptions;
DROP TABLE resumes;
DROP TABLE users;
