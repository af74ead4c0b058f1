ALTER TABLE user_sites DROP CONSTRAINT user_sites_resume_fkey;
DROP TABLE user_sites;
