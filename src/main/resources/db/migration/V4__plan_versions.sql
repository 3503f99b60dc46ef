-- Every saved text of every plan, immutable: saving the same text again adds nothing, a changed
-- text adds the next version. The latest version of a plan is its highest.
CREATE TABLE plan_versions (
    plan      VARCHAR(64)  NOT NULL,
    version   INT          NOT NULL,
    title     VARCHAR(300),
    yaml      TEXT         NOT NULL,
    sha256    CHAR(64)     NOT NULL,
    saved_by  VARCHAR(64)  NOT NULL,
    saved_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    origin    VARCHAR(20)  NOT NULL,
    CONSTRAINT plan_versions_pk PRIMARY KEY (plan, version),
    CONSTRAINT plan_versions_origin_ck CHECK (origin IN ('console', 'api', 'config'))
);
