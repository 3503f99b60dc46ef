-- Claims on mapping items: the reviewer who opened an item holds it for a few minutes, so that
-- two reviewers walking the same queue get different items. Keyed like the decisions (plan,
-- phase, old record), so a claim outlives a new dry run. A reviewer holds one item per phase at
-- a time; a claim ends with the reviewer's decision, when they open another item, or when it
-- expires. An expired row is only overwritten, never read as a claim.
CREATE TABLE mapping_claims (
    plan            VARCHAR(64)   NOT NULL,
    phase           VARCHAR(64)   NOT NULL,
    old_key         VARCHAR(400)  NOT NULL,
    claimed_by      VARCHAR(64)   NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT mapping_claims_pk PRIMARY KEY (plan, phase, old_key)
);
CREATE INDEX mapping_claims_holder_idx ON mapping_claims (plan, phase, claimed_by);
