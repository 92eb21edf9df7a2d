-- The problem of a row whose member is not a kept member: every row of that member was quarantined (the first
-- is named, so that the cascade can be traced), or members has no such id. Created once those two tables exist
-- (DuckDB binds a macro's tables when it is created). Reads: known_members, quarantined_members.
CREATE OR REPLACE MACRO member_problem(member_id_value) AS
  CASE WHEN getvariable('has_members') AND member_id_value NOT IN (SELECT member_id FROM known_members)
       THEN coalesce(
         (SELECT problem('member_quarantined', 'member_id', 'its member was quarantined (' || quarantined.row_ref || ')')
          FROM quarantined_members AS quarantined WHERE quarantined.member_id = member_id_value),
         problem('unknown_member', 'member_id', 'member ''' || member_id_value || ''' is not in members')) END;
