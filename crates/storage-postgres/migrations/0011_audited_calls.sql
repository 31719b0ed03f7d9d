-- Audited reads and writes in one round trip each.
--
-- Every audited call appends to one hash chain, so appenders take turns under an
-- advisory lock held until commit. Done from the client, the chain's lock was held
-- across four round trips (lock, read the head, insert, commit), and a dossier read
-- took eight round trips, a write nine: under 50 clients the server spent its time on
-- round trips and on waking the clients queued behind the lock. Here the work under
-- the lock happens inside the server, and each call is one statement in its own
-- transaction. The caller then waits for the disk with one more short transaction
-- (see `PgStore`), so no commit flushes while it holds the lock.
--
-- The hash is computed here with the same encoding as `tnw_storage::chain::link`:
-- SHA-256(previous hash ‖ 'tnw-audit-v1' ‖ id as 8 big-endian bytes ‖ the rest of
-- the fields, encoded by the caller with `chain::encode_after_id`). `tnw audit verify`
-- checks the stored hashes with the Rust code, so any disagreement shows.

-- Appends one entry to the chain and returns its id.
CREATE FUNCTION tnw_audit_append(
    p_org bigint, p_at text, p_username text, p_role text, p_action text,
    p_case bigint, p_what text, p_purpose text, p_fields bytea)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    prev_id   bigint;
    prev_hash bytea;
    new_id    bigint;
BEGIN
    -- The chain's lock ("tnw_audt" in ASCII), released at commit.
    PERFORM pg_advisory_xact_lock(8389774407378494580);
    -- A volatile function's statement takes a new snapshot: this one sees every entry
    -- committed before the lock was granted (and this transaction's own).
    SELECT id, hash INTO prev_id, prev_hash FROM audit ORDER BY id DESC LIMIT 1;
    new_id := coalesce(prev_id, 0) + 1;
    IF prev_hash IS NULL OR octet_length(prev_hash) <> 32 THEN
        -- The genesis hash (no entry yet, or an entry from before the chain).
        prev_hash := decode(repeat('00', 32), 'hex');
    END IF;
    INSERT INTO audit (id, org_id, at, username, role, action, case_id, what, purpose, hash)
    VALUES (new_id, p_org, p_at::timestamptz, p_username, p_role, p_action, p_case, p_what,
            p_purpose,
            sha256(prev_hash || convert_to('tnw-audit-v1', 'UTF8') || int8send(new_id)
                   || p_fields));
    RETURN new_id;
END
$$;

-- The audit entry of a dossier read, if the dossier still has `p_seen` events (what
-- the caller read and decided on). Then it returns no row. If the dossier changed in
-- between, it writes nothing and returns the log as it is now, for the caller to
-- decide again. The share lock on the dossier's row keeps its writers (who update
-- that row first) from appending until the entry is committed.
CREATE FUNCTION tnw_read_audited(
    p_case bigint, p_seen integer, p_org bigint, p_at text, p_username text,
    p_role text, p_action text, p_what text, p_purpose text, p_fields bytea)
RETURNS TABLE (events integer, log text) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n integer;
BEGIN
    PERFORM 1 FROM cases WHERE id = p_case FOR SHARE;
    SELECT l.events INTO n FROM case_logs l WHERE l.case_id = p_case;
    n := coalesce(n, 0);
    IF n <> p_seen THEN
        RETURN QUERY SELECT n, (SELECT l.log FROM case_logs l WHERE l.case_id = p_case);
        RETURN;
    END IF;
    -- The caller waits for the disk after the lock is released.
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM tnw_audit_append(p_org, p_at, p_username, p_role, p_action, p_case, p_what,
                             p_purpose, p_fields);
END
$$;

-- A write to one existing dossier (the API's): its summary, the new events appended
-- if the log still has `p_expected` of them, its open tasks replaced, and the audit
-- entries (arrays, one element per entry). Refusals are errors with their own codes,
-- and the whole call is undone: TN001 the dossier is not the fund's, TN002 the log
-- did not have `p_expected` events.
CREATE FUNCTION tnw_write_case(
    p_org bigint, p_case bigint,
    p_person_id text, p_start date, p_ended date, p_scheme text, p_region text,
    p_language text, p_condition text, p_category smallint, p_facts bytea,
    p_assignee text, p_returned date,
    p_tail text, p_n integer, p_expected integer,
    t_code text[], t_actor text[], t_rule text[], t_window date[], t_due date[],
    a_at text, a_username text[], a_role text[], a_action text[], a_case bigint[],
    a_what text[], a_purpose text[], a_fields bytea[])
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    UPDATE cases SET person_id = p_person_id, incapacity_start = p_start, ended = p_ended,
           scheme = p_scheme, region = p_region, language = p_language,
           condition = p_condition, category = p_category, facts = p_facts,
           assignee = p_assignee, quick_scan_returned = p_returned, updated_at = now()
     WHERE id = p_case AND org_id = p_org;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % is not in fund %', p_case, p_org USING ERRCODE = 'TN001';
    END IF;
    IF p_n > 0 THEN
        -- Appending keeps every stored entry byte for byte: the log is append-only.
        UPDATE case_logs SET log = left(log, -1) || p_tail, events = events + p_n
         WHERE case_id = p_case AND org_id = p_org AND events = p_expected;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'case % does not have % events', p_case, p_expected
                USING ERRCODE = 'TN002';
        END IF;
    END IF;
    DELETE FROM tasks WHERE case_id = p_case;
    INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due)
    SELECT p_case, p_org, u.code, u.actor, u.rule, u.window_start, u.due
      FROM unnest(t_code, t_actor, t_rule, t_window, t_due)
           AS u(code, actor, rule, window_start, due);
    IF cardinality(a_username) > 0 THEN
        PERFORM set_config('synchronous_commit', 'off', true);
        FOR i IN 1 .. cardinality(a_username) LOOP
            PERFORM tnw_audit_append(p_org, a_at, a_username[i], a_role[i], a_action[i],
                                     a_case[i], a_what[i], a_purpose[i], a_fields[i]);
        END LOOP;
    END IF;
END
$$;
