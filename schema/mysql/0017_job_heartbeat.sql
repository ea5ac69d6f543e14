-- A running job's process writes its progress and this time every few seconds
-- (services/jobs/job_runner.cpp): any process can show the progress, and a job whose process
-- stopped beating (it died) is marked failed by whichever process is asked about it next.
ALTER TABLE jobs ADD COLUMN heartbeat_at CHAR(26) NULL;
