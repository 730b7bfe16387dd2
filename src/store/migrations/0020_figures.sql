-- LEAD: fig-engine's 0020_figures.sql has these two lines too; keep theirs
ALTER TABLE search_log ADD COLUMN visit TEXT;
ALTER TABLE chats ADD COLUMN visit TEXT;
