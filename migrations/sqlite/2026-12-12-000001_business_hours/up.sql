-- Business hours for a category's first-response target: one line an admin types, stored in
-- its canonical form (`Europe/Berlin; mon-fri 09:00-17:00; holidays 2026-12-24`, see
-- src/hours.rs). NULL: around the clock (the target counts wall-clock time).
ALTER TABLE categories ADD COLUMN business_hours TEXT;
