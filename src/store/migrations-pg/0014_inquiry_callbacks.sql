-- 0014_inquiry_callbacks.sql - the callbacks due (GET
-- PostgreSQL's dialect of migrations/0014_inquiry_callbacks.sql (docs/postgres.md).
-- /api/v1/inquiries?callbacks=today): an organisation's promised
-- callbacks by due time. Without it the list walks every inquiry of the
-- organisation (inquiries_org) to find the few promised ones; with
-- 500,000 inquiries that is the difference between a p99 of tens of
-- milliseconds and well under one (make bench-inquiries, docs/benchmarks.md).
CREATE INDEX inquiries_callbacks ON inquiries(organisation_id, callback_due_at, id)
  WHERE outcome = 'callback_promised';
