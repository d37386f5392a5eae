DROP TABLE restrictions;
DROP TABLE reports;
DROP TABLE reviews;
DROP TABLE ticket_attachments;
DELETE FROM photos WHERE kind = 'attachment';
ALTER TABLE photos DROP CONSTRAINT photos_kind_check;
ALTER TABLE photos ADD CONSTRAINT photos_kind_check CHECK (kind IN ('face', 'document'));
DROP TABLE ticket_messages;
DROP TABLE tickets;
