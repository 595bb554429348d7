-- The roster column `community_manager` (EVENTS.md): the person animates communities. Absent from
-- an upload, or from the snapshots stored before this migration: false.
ALTER TABLE roster ADD COLUMN IF NOT EXISTS community_manager Bool DEFAULT false;
