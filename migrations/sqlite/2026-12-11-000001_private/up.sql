-- Private questions. `privacy`: public, private (its asker and staff only; state 'private'
-- keeps it out of every public list, count, feed, sitemap and index, like any state other
-- than 'visible') or anonymous (published with consent, the asker shown as "a customer").
-- Whether staff offered to publish it is on its timeline (`thread_events`).
-- `staff_requested_at`: the asker pressed "I still need help" (the reason is in the timeline).
-- threads now has 32 columns, diesel's default limit: further thread facts need a table of
-- their own.
ALTER TABLE threads ADD COLUMN privacy TEXT NOT NULL DEFAULT 'public';
ALTER TABLE threads ADD COLUMN staff_requested_at TIMESTAMP;
CREATE INDEX threads_staff_requested ON threads (staff_requested_at)
    WHERE staff_requested_at IS NOT NULL;
-- Whether a category's questions may, must or must not be private: optional, required, forbidden.
ALTER TABLE categories ADD COLUMN private_questions TEXT NOT NULL DEFAULT 'optional';
-- Site settings admins change on the settings page (name, intro, links, defaults...).
CREATE TABLE site_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
