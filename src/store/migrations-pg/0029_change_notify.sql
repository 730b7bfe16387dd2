-- 0029_change_notify.sql - pg-multi (issue 14): several helhed instances
-- PostgreSQL's dialect of migrations/0029_change_notify.sql (docs/postgres.md).
-- on one database keep what they hold in memory (the search index, the
-- synonyms and pinned queries, the organisations, the chats' waiting
-- requests) current with each other's writes. Every write to a table
-- whose rows an instance keeps in memory sends a NOTIFY on the channel
-- helhed_change from a trigger, so in the writing transaction: it is
-- delivered only when that transaction commits, and never after a
-- rollback, whichever program wrote (an instance, `helhed import`, psql).
-- Each instance LISTENs on one connection of its own
-- (src/store/postgres_notify.c) and tells its subscribers.
--
-- The payload is JSON: {"e": entity, "id": row id (0: the whole kind),
-- "org": organisation id (0: none), "a": "create"/"update"/"delete",
-- "i": the writing instance}. "i" is the session setting
-- helhed.instance that each instance's connections set, so an instance
-- skips what it wrote itself (its own write paths told it already);
-- other programs leave it empty. Kinds that are read whole on any change
-- (guides, forms, synonyms, pins, organisations) notify once per
-- statement with id 0; PostgreSQL delivers identical notices of one
-- transaction once, so an import of fifty forms sends one.
CREATE FUNCTION helhed_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_id bigint := 0;
  org_id bigint := 0;
  r jsonb;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    row_id := coalesce((r ->> 'id')::bigint, 0);
    org_id := coalesce((r ->> 'organisation_id')::bigint, 0);
  END IF;
  PERFORM pg_notify('helhed_change', json_build_object(
    'e', TG_ARGV[0], 'id', row_id, 'org', org_id,
    'a', CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update'
                    ELSE 'delete' END,
    'i', coalesce(current_setting('helhed.instance', true), ''))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER articles_notify AFTER INSERT OR UPDATE OR DELETE ON articles
  FOR EACH ROW EXECUTE FUNCTION helhed_notify_change('article');
CREATE TRIGGER chats_notify AFTER INSERT OR UPDATE OR DELETE ON chats
  FOR EACH ROW EXECUTE FUNCTION helhed_notify_change('chat');
CREATE TRIGGER life_events_notify AFTER INSERT OR UPDATE OR DELETE ON life_events
  FOR EACH STATEMENT EXECUTE FUNCTION helhed_notify_change('life_event');
CREATE TRIGGER case_types_notify AFTER INSERT OR UPDATE OR DELETE ON case_types
  FOR EACH STATEMENT EXECUTE FUNCTION helhed_notify_change('case_type');
CREATE TRIGGER synonyms_notify AFTER INSERT OR UPDATE OR DELETE ON synonyms
  FOR EACH STATEMENT EXECUTE FUNCTION helhed_notify_change('synonym');
CREATE TRIGGER search_pins_notify AFTER INSERT OR UPDATE OR DELETE ON search_pins
  FOR EACH STATEMENT EXECUTE FUNCTION helhed_notify_change('pin');
CREATE TRIGGER organisations_notify AFTER INSERT OR UPDATE OR DELETE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION helhed_notify_change('organisation');
