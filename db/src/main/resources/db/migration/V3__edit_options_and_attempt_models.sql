-- The parameters beyond Trieve's contract a client set (output_format, output_compression,
-- background, input_fidelity, complexity), as EditOptionsCodec writes them; {} when it set none.
-- A document rather than a column each: they follow what today's models take, which changes.
ALTER TABLE edit_jobs ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;

-- The model an attempt ran on, and the one it fell back from when that one answered
-- model_not_found (retouch.openai.fallback-models).
ALTER TABLE job_attempts ADD COLUMN model text;
ALTER TABLE job_attempts ADD COLUMN fallback_from text;
