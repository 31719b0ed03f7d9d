-- The worklist walks this index in due order; holding every task column the worklist
-- shows spares one table lookup per task walked (measured on 1,000,000 dossiers:
-- 0.51 -> 0.33 ms of CPU per worklist request, p99 at 50 clients 18-26 -> 11-15 ms).
DROP INDEX tasks_worklist;
CREATE INDEX tasks_worklist ON tasks (org_id, actor, due, window_start, code, rule, case_id);
