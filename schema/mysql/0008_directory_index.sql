-- The directory pages through members in pinyin order: an index on the whole sort key (and id,
-- the tie-breaker) serves ORDER BY sort_key, id without sorting the table.
DROP INDEX ix_members_sort_key ON members;
CREATE INDEX ix_members_sort_key ON members (sort_key, id);
