-- Issue 13: an id means one command. The idempotency key binds the id to the target, the operation
-- and the sha256 of the parameters' canonical JSON (RFC 8785): the same id with anything else is a
-- conflict (COMMAND_ID_CONFLICT), never a duplicate. Rows written before this version have no
-- digest and match on target and operation alone.
-- (Versioned 2.13 so that migrations added by parallel branches do not collide.)
ALTER TABLE runs ADD COLUMN data_sha256 text;
