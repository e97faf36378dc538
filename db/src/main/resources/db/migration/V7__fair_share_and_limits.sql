-- Fair share between datasets, limits, and the sweeper's bookkeeping.
--
-- A new job waits in the "fair line" (status queued, enqueued_at NULL) ordered by fair_key, a
-- virtual start tag (start-time fair queueing): the later of its dataset's next tag and the line's
-- virtual time (the tag of the last job handed to RabbitMQ); the dataset's next tag is then that
-- plus 1 / weight.
-- The relay hands jobs to RabbitMQ in tag order, keeping only a few messages ready there, so a
-- dataset that arrives behind a flood is served at the next free slot.

ALTER TABLE datasets
    -- share of running slots relative to other datasets with queued jobs
    ADD COLUMN weight      int NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    -- jobs of this dataset handed to RabbitMQ or running at once; NULL: no cap, 0: paused
    ADD COLUMN max_running int CHECK (max_running >= 0),
    -- queued plus running jobs; NULL: retouch.limits.dataset-max-active
    ADD COLUMN max_active  int CHECK (max_active > 0);

ALTER TABLE edit_jobs
    ADD COLUMN fair_key    double precision,
    -- when a message for the job was last published (or, for a retry, when it will be); NULL while
    -- the job waits in the fair line
    ADD COLUMN enqueued_at timestamptz;

-- Jobs queued before this version already have an outbox entry or a message.
UPDATE edit_jobs SET enqueued_at = coalesce(next_attempt_at, updated_at) WHERE status = 'queued';

CREATE TABLE dataset_fair_tags (
    dataset_id uuid PRIMARY KEY REFERENCES datasets (id),
    next_key   double precision NOT NULL
);

CREATE TABLE fair_clock (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    virtual_time double precision NOT NULL
);
INSERT INTO fair_clock (virtual_time) VALUES (0);

CREATE INDEX edit_jobs_fair_line ON edit_jobs (fair_key, id)
    WHERE status = 'queued' AND enqueued_at IS NULL;
CREATE INDEX edit_jobs_in_broker ON edit_jobs (enqueued_at)
    WHERE status = 'queued' AND enqueued_at IS NOT NULL;

-- Usage reports sum a dataset's jobs by when they finished.
CREATE INDEX edit_jobs_finished_by_dataset ON edit_jobs (dataset_id, finished_at)
    WHERE finished_at IS NOT NULL;

-- The recent start rate behind estimated_start_at.
CREATE INDEX job_attempts_by_start ON job_attempts (started_at);

-- One token bucket per API key, shared by every API replica.
CREATE TABLE api_key_buckets (
    api_key_id   uuid PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    tokens       double precision NOT NULL,
    refreshed_at timestamptz      NOT NULL
);
