-- Indexes for the per-unit quota counts of a sign-up and a visit application: the narrowest
-- index for "this unit's places in this class/visit", instead of the unit's whole history
-- (ix_enrollments_member) or the class's whole list.
CREATE INDEX ix_enrollments_quota ON enrollments (class_id, member_id, status);
CREATE INDEX ix_visit_delegates_quota ON visit_delegates (visit_id, member_id, status);
