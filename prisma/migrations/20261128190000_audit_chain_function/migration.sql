-- Appends to the audit chain in the statement that inserts the events, so no writer needs a
-- transaction of its own just to lock the chain and read its head. On PGlite every statement of
-- an interactive transaction is a round trip through the Node.js event loop that also answers
-- decisions, and the only connection stays taken meanwhile (docs/BENCHMARKS.md §2g, §2i).
--
-- `events` is a JSON array of AuditEvent rows without "seq", "prevHash" and "hash", each with
-- "pre" and "post": the event's canonical JSON (docs/AUDIT_FORMAT.md) before and after the value
-- of its "seq", which only the head decides. Returns the rows to insert, in order:
--   hash = hex(SHA-256(prevHash ‖ pre ‖ seq ‖ post)), the same bytes lib/audit/event.ts hashes.
-- The lock is the one every chain append takes (lib/audit/append.ts); a VOLATILE function reads
-- the head with a snapshot taken after it, so instances sharing a PostgreSQL database still
-- append in one order. `lock_wait`, when given, bounds the wait for the lock (lock_timeout) for
-- the rest of the calling transaction. ROWS 1: most appends are one event (a change, a seal), and
-- the planner's default guess of 1,000 rows would shape the statements that join the result.
CREATE FUNCTION governor_audit_chain(events json, lock_wait text DEFAULT NULL)
RETURNS SETOF "AuditEvent"
LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
DECLARE
  head_seq integer;
  head_hash text;
  e json;
  r "AuditEvent";
BEGIN
  IF lock_wait IS NOT NULL THEN
    PERFORM set_config('lock_timeout', lock_wait, true);
  END IF;
  PERFORM pg_advisory_xact_lock(7446001);
  SELECT a."seq", a."hash" INTO head_seq, head_hash FROM "AuditEvent" a ORDER BY a."seq" DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  FOR e IN SELECT value FROM json_array_elements(events) LOOP
    head_seq := head_seq + 1;
    r := json_populate_record(NULL::"AuditEvent", e);
    r."seq" := head_seq;
    r."prevHash" := head_hash;
    r."hash" := encode(sha256(convert_to(head_hash || (e->>'pre') || head_seq::text || (e->>'post'), 'UTF8')), 'hex');
    head_hash := r."hash";
    RETURN NEXT r;
  END LOOP;
END;
$$;
