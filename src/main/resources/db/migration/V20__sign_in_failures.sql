-- Failed sign-ins in a row, per user name ('user:<name>') and per client address
-- ('address:<ip>'), and until when each is refused; kept in the store so that every
-- instance refuses the same.
CREATE TABLE sign_in_failures (
    subject        VARCHAR(400)             NOT NULL,
    failures       INTEGER                  NOT NULL,
    last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT sign_in_failures_pk PRIMARY KEY (subject)
);
