-- The W3C traceparent of the request that submitted a job: the outbox relay sends it with every
-- message of the job, so the worker's spans join the submitting request's trace.
ALTER TABLE edit_jobs ADD COLUMN trace_parent text;
