# shellcheck shell=bash
# The `reports` dataset of scripts/bench.sh as plain SQL (source it; do not run it).
#
#   report_sizes UNITS             sets RD_* (row counts of every table, scaled on UNITS)
#   report_seq_sql BACKEND N       a helper table bench_seq(n) holding 1..N
#   report_batch_sql TABLE FROM TO the rows FROM..TO of TABLE (n in bench_seq), one INSERT
#   report_fixup_sql               the counters the rows imply (receipt numbers, seat counts)
#
# The SQL is the common subset of SQLite and MariaDB with `||` concatenation (MariaDB runs it
# with sql_mode PIPES_AS_CONCAT) and integer division written ` DIV ` (turned into ` / ` for
# SQLite). Ids are explicit (id = n), so the rows refer to each other without lookups, and every
# insert fires the reports' triggers like any write of the application.
#
# 100,000 units (the default) give: 1,000,000 invoices (10 years × every unit; about 85 % paid,
# each paid or partial one with its payment), 5,000 classes over the last 5 years with 500,000
# enrolments (5 % cancelled) and a check-in for 70 % of the confirmed places of past classes,
# 500 meetings each inviting 120 units of which 100 reply (50,000 replies) and most attend,
# 20 visits of 50 approved delegates.

# report_sizes UNITS — the row counts, proportional to UNITS (at least 200 units).
report_sizes() {
  RD_UNITS="$1"
  ((RD_UNITS >= 200)) || die "BENCH_REPORT_UNITS must be at least 200"
  RD_YEAR="$(TZ=Asia/Shanghai date +%Y)"
  RD_MONTH="$((10#$(TZ=Asia/Shanghai date +%m)))"
  RD_TODAY="$(TZ=Asia/Shanghai date +%F)"
  RD_FIRST_YEAR=$((RD_YEAR - 9))
  RD_INVOICES=$((RD_UNITS * 10))
  RD_CLASSES=$((RD_UNITS / 20))
  RD_COURSES=$(((RD_CLASSES + 24) / 25))
  RD_ENROLLMENTS=$((RD_CLASSES * 100))
  RD_MEETINGS=$((RD_UNITS / 200))
  RD_INVITEES=$((RD_MEETINGS * 120))
  RD_VISITS=$((RD_UNITS / 5000 > 2 ? RD_UNITS / 5000 : 2))
  RD_APPLICATIONS=$((RD_VISITS * 10))
  RD_DELEGATES=$((RD_VISITS * 50))
  RD_AT="$(date -u '+%Y-%m-%d %H:%M:%S.000000')"
}

# The generated tables in insert order, each with its row count (a RD_* name).
report_tables() {
  cat <<EOF
members $RD_UNITS
dues_schedules 10
dues_schedule_amounts 10
dues_invoices $RD_INVOICES
dues_payments $RD_INVOICES
courses $RD_COURSES
classes $RD_CLASSES
enrollments $RD_ENROLLMENTS
attendance $RD_ENROLLMENTS
meetings $RD_MEETINGS
meeting_invitees $RD_INVITEES
meeting_rsvps $RD_INVITEES
meeting_attendance $RD_INVITEES
visits $RD_VISITS
visit_applications $RD_APPLICATIONS
visit_delegates $RD_DELEGATES
EOF
}

report_seq_sql() {
  local backend="$1" n="$2"
  echo "DROP TABLE IF EXISTS bench_seq;"
  case "$backend" in
    sqlite)
      echo "CREATE TABLE bench_seq (n INTEGER PRIMARY KEY);"
      echo "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $n) INSERT INTO bench_seq (n) SELECT n FROM s;"
      ;;
    mariadb)
      echo "CREATE TABLE bench_seq (n BIGINT NOT NULL PRIMARY KEY);"
      echo "INSERT INTO bench_seq (n) SELECT seq FROM seq_1_to_$n;"
      ;;
  esac
}

# A date 'YYYY-MM-DD' of the row's year expression, month and day from n (days 1..28).
rd_date() { # YEAR_EXPR MONTH_EXPR DAY_EXPR
  printf "((%s) || '-' || substr('0' || (%s), -2) || '-' || substr('0' || (%s), -2))" "$1" "$2" "$3"
}

report_batch_sql() {
  local table="$1" from="$2" to="$3" U="$RD_UNITS" Y="$RD_YEAR" Y0="$RD_FIRST_YEAR" at="$RD_AT"
  local range="s.n BETWEEN $from AND $to"
  local city="CASE s.n % 14 WHEN 0 THEN '430100' WHEN 1 THEN '430200' WHEN 2 THEN '430300' WHEN 3 THEN '430400' WHEN 4 THEN '430500' WHEN 5 THEN '430600' WHEN 6 THEN '430700' WHEN 7 THEN '430800' WHEN 8 THEN '430900' WHEN 9 THEN '431000' WHEN 10 THEN '431100' WHEN 11 THEN '431200' WHEN 12 THEN '431300' ELSE '433100' END"
  local pad7="substr('0000000' || s.n, -7)"
  case "$table" in
    members)
      # Tiers 60/25/10/4/1 %, statuses 88 % active, 5 % lapsed, 2 % suspended, 4 % withdrawn,
      # 1 % expelled (those two with a leaving date); joined 2000 .. 9 years ago.
      cat <<SQL
INSERT INTO members (id, member_no, name, short_name, uscc, org_type, org_level, city_code, address, tier, status, joined_on, sort_key, created_at, updated_at, left_on)
SELECT s.n, 'RU' || $pad7, '报表单位第' || s.n || '号', '', '91' || ($city) || 'MB' || $pad7 || 'X',
  CASE WHEN s.n % 20 < 12 THEN 'development_zone' WHEN s.n % 20 < 15 THEN 'industrial_park' WHEN s.n % 20 < 17 THEN 'customs_zone' WHEN s.n % 20 < 18 THEN 'research_institute' WHEN s.n % 20 < 19 THEN 'platform_company' ELSE 'individual' END,
  CASE s.n % 3 WHEN 0 THEN 'national' WHEN 1 THEN 'provincial' ELSE 'other' END,
  $city, '',
  CASE WHEN (s.n * 7) % 100 < 60 THEN 'member' WHEN (s.n * 7) % 100 < 85 THEN 'council' WHEN (s.n * 7) % 100 < 95 THEN 'standing_council' WHEN (s.n * 7) % 100 < 99 THEN 'vice_president' ELSE 'president' END,
  CASE WHEN (s.n * 37) % 100 < 88 THEN 'active' WHEN (s.n * 37) % 100 < 93 THEN 'lapsed' WHEN (s.n * 37) % 100 < 95 THEN 'suspended' WHEN (s.n * 37) % 100 < 99 THEN 'withdrawn' ELSE 'expelled' END,
  $(rd_date "2000 + (s.n * 13) % $((Y0 - 2000 + 1))" "1 + s.n % 12" "1 + s.n % 28"),
  'baobiaodanwei ' || $pad7, '$at', '$at',
  CASE WHEN (s.n * 37) % 100 >= 95 THEN ($Y - s.n % 4) || '-06-30' ELSE NULL END
FROM bench_seq s WHERE $range;
SQL
      ;;
    dues_schedules)
      cat <<SQL
INSERT INTO dues_schedules (id, year, version, effective_on, meeting_name, held_on, entitled, present, votes_for, votes_against, abstentions, secret_ballot, resolution_id, copied_from_year, published_at, superseded_at, created_by, created_at)
SELECT s.n, $Y0 + s.n - 1, 1, ($Y0 + s.n - 1) || '-01-01', '会员大会', ($Y0 + s.n - 2) || '-12-20', $U, $U, $U, 0, 0, 1, NULL, NULL, '$at', NULL, NULL, '$at'
FROM bench_seq s WHERE $range;
SQL
      ;;
    dues_schedule_amounts)
      local tier amount
      for tier in member:300000 council:600000 standing_council:1000000 vice_president:2000000 president:3000000; do
        amount="${tier#*:}" tier="${tier%%:*}"
        echo "INSERT INTO dues_schedule_amounts (schedule_id, tier, amount_fen) SELECT s.n, '$tier', $amount FROM bench_seq s WHERE $range;"
      done
      ;;
    dues_invoices)
      # Unit (n-1) % U + 1, year Y0 + (n-1) DIV U. Past years: 94 % paid, 3 % partial, 3 % unpaid;
      # this year: 30 % partial, the rest unpaid; years after a unit left: void.
      cat <<SQL
INSERT INTO dues_invoices (id, member_id, year, tier, schedule_id, full_fen, amount_fen, reduced_fen, paid_fen, status, proration, issued_on, reminders_sent, last_reminded_on, created_at, updated_at)
SELECT x.n, x.member_id, x.yr, x.tier, x.yr - $Y0 + 1, x.fee, x.fee, 0,
  CASE x.st WHEN 'paid' THEN x.fee WHEN 'partial' THEN x.fee DIV 2 ELSE 0 END, x.st, 'full',
  x.yr || '-01-01', 0, NULL, x.yr || '-01-01 00:00:00.000000', x.yr || '-01-01 00:00:00.000000'
FROM (SELECT d.n, d.member_id, d.yr, d.tier, d.fee,
        CASE WHEN d.left_on IS NOT NULL AND d.left_on < (d.yr || '-01-01') THEN 'void'
             WHEN d.yr = $Y AND (d.member_id * 31 + d.yr * 17) % 100 < 30 THEN 'partial'
             WHEN d.yr = $Y THEN 'unpaid'
             WHEN (d.member_id * 31 + d.yr * 17) % 100 < 94 THEN 'paid'
             WHEN (d.member_id * 31 + d.yr * 17) % 100 < 97 THEN 'partial'
             ELSE 'unpaid' END AS st
      FROM (SELECT s.n, m.id AS member_id, $Y0 + (s.n - 1) DIV $U AS yr, m.tier, m.left_on,
              CASE m.tier WHEN 'member' THEN 300000 WHEN 'council' THEN 600000 WHEN 'standing_council' THEN 1000000 WHEN 'vice_president' THEN 2000000 ELSE 3000000 END AS fee
            FROM bench_seq s JOIN members m ON m.id = (s.n - 1) % $U + 1 WHERE $range) d) x;
SQL
      ;;
    dues_payments)
      # One payment for each paid or partial invoice, on a day of its year (this year: before
      # this month).
      local month="1 + i.id % (CASE WHEN i.year = $Y THEN $((RD_MONTH > 1 ? RD_MONTH - 1 : 1)) ELSE 12 END)"
      cat <<SQL
INSERT INTO dues_payments (id, invoice_id, member_id, amount_fen, paid_on, method, reference, receipt_year, receipt_seq, verify_code, status, source_key, reverse_reason, reversed_at, reversed_by, created_by, created_at)
SELECT p.id, p.id, p.member_id, p.paid_fen, p.day, CASE p.id % 4 WHEN 0 THEN 'wechat' ELSE 'bank_transfer' END, '', p.year, p.id, 'RV' || p.id, 'valid', NULL, NULL, NULL, NULL, NULL, p.day || ' 02:00:00.000000'
FROM (SELECT i.id, i.member_id, i.paid_fen, i.year, $(rd_date "i.year" "$month" "1 + i.id % 28") AS day
      FROM dues_invoices i WHERE i.id BETWEEN $from AND $to AND i.paid_fen > 0) p;
SQL
      ;;
    courses)
      echo "INSERT INTO courses (id, title, description, topics, created_at, updated_at) SELECT s.n, '报表课程' || s.n, '', '', '$at', '$at' FROM bench_seq s WHERE $range;"
      ;;
    classes)
      # Class c in year Y-4 + (c-1) % 5, 09:00 to 17:00 Shanghai time; past ones finished.
      local day
      day="$(rd_date "$((Y - 4)) + (s.n - 1) % 5" "1 + (s.n * 7) % 12" "1 + s.n % 28")"
      cat <<SQL
INSERT INTO classes (id, course_id, title, starts_at, ends_at, venue, capacity, per_member_quota, fee_fen, signup_deadline, status, min_attendance_percent, confirmed_count, waitlisted_count, next_waitlist_seq, created_at, updated_at)
SELECT s.n, (s.n - 1) % $RD_COURSES + 1, '第' || s.n || '期', $day || ' 01:00:00.000000', $day || ' 09:00:00.000000', '长沙', 120, NULL, 100000, $day || ' 00:00:00.000000',
  CASE WHEN $day < '$RD_TODAY' THEN 'finished' ELSE 'open' END, 80, 0, 0, 1, '$at', '$at'
FROM bench_seq s WHERE $range;
SQL
      ;;
    enrollments)
      # 100 places a class (enrolment n in class (n-1) % C + 1), units spread by a stride;
      # every 20th cancelled; certificates for 60 % of the places of past classes.
      cat <<SQL
INSERT INTO enrollments (id, class_id, member_id, org_name, attendee_name, attendee_title, mobile, email, lodging, status, waitlist_seq, active_mobile, fee_fen, checkin_token, certificate_no, certificate_code, enrolled_by, created_at, promoted_at, cancelled_at)
SELECT s.n, c.id, (s.n * 7919) % $U + 1, '报表单位', '学员' || s.n, '', '13' || substr('000000000' || s.n, -9), '', 'none',
  CASE WHEN s.n % 20 = 0 THEN 'cancelled' ELSE 'confirmed' END, NULL,
  CASE WHEN s.n % 20 = 0 THEN NULL ELSE '13' || substr('000000000' || s.n, -9) END, 100000, 'RT' || s.n,
  CASE WHEN s.n % 20 BETWEEN 1 AND 12 AND c.starts_at < '$RD_TODAY' THEN 'RC' || s.n ELSE NULL END,
  CASE WHEN s.n % 20 BETWEEN 1 AND 12 AND c.starts_at < '$RD_TODAY' THEN 'RC' || s.n ELSE NULL END,
  NULL, '$at', NULL, CASE WHEN s.n % 20 = 0 THEN '$at' ELSE NULL END
FROM bench_seq s JOIN classes c ON c.id = (s.n - 1) % $RD_CLASSES + 1 WHERE $range;
SQL
      ;;
    attendance)
      cat <<SQL
INSERT INTO attendance (id, enrollment_id, day, half, checked_at, checked_by)
SELECT e.id, e.id, substr(c.starts_at, 1, 10), 'am', c.starts_at, NULL
FROM enrollments e JOIN classes c ON c.id = e.class_id
WHERE e.id BETWEEN $from AND $to AND e.id % 20 BETWEEN 1 AND 14 AND c.starts_at < '$RD_TODAY';
SQL
      ;;
    meetings)
      local day
      day="$(rd_date "$((Y - 4)) + (s.n - 1) % 5" "1 + (s.n * 5) % 12" "1 + s.n % 28")"
      cat <<SQL
INSERT INTO meetings (id, kind, term_no, session_no, title, starts_at, ends_at, mode, room_id, booking_id, venue, rsvp_deadline, status, description, minutes, version, created_by, created_at, updated_at)
SELECT s.n, CASE s.n % 3 WHEN 0 THEN 'general_assembly' WHEN 1 THEN 'council' ELSE 'standing_council' END, 1, s.n, '报表会议' || s.n,
  $day || ' 02:00:00.000000', $day || ' 06:00:00.000000', 'onsite', NULL, NULL, '长沙', $day || ' 00:00:00.000000',
  CASE WHEN $day < '$RD_TODAY' THEN 'finished' ELSE 'scheduled' END, '', '', 1, NULL, '$at', '$at'
FROM bench_seq s WHERE $range;
SQL
      ;;
    meeting_invitees | meeting_rsvps | meeting_attendance)
      # Row n: meeting (n-1) DIV 120 + 1, its k-th invitee (k = (n-1) % 120) a distinct unit;
      # the first 100 reply (9 in 10 attending), 7 in 10 of them come to past meetings.
      local inv="SELECT s.n, (s.n - 1) DIV 120 + 1 AS meeting_id, (s.n - 1) % 120 AS k, ((((s.n - 1) DIV 120 + 1) * 997 + ((s.n - 1) % 120) * ($U DIV 120)) % $U) + 1 AS member_id FROM bench_seq s WHERE $range"
      case "$table" in
        meeting_invitees)
          echo "INSERT INTO meeting_invitees (meeting_id, member_id, source, pass_token, invited_at, reminded_on) SELECT x.meeting_id, x.member_id, 'tier', 'RP' || x.n, '$at', NULL FROM ($inv) x;"
          ;;
        meeting_rsvps)
          echo "INSERT INTO meeting_rsvps (meeting_id, member_id, attending, proxy_to_member_id, note, replied_by, replied_at) SELECT x.meeting_id, x.member_id, CASE WHEN x.n % 10 = 0 THEN 0 ELSE 1 END, NULL, '', NULL, '$at' FROM ($inv) x WHERE x.k < 100;"
          ;;
        meeting_attendance)
          echo "INSERT INTO meeting_attendance (meeting_id, member_id, checked_at, checked_by) SELECT x.meeting_id, x.member_id, mt.starts_at, NULL FROM ($inv) x JOIN meetings mt ON mt.id = x.meeting_id WHERE x.k < 100 AND x.n % 10 BETWEEN 1 AND 7 AND mt.starts_at < '$RD_TODAY';"
          ;;
      esac
      ;;
    visits)
      local day
      day="$(rd_date "$((Y - 4)) + (s.n - 1) % 5" "1 + (s.n * 3) % 12" "1 + s.n % 28")"
      cat <<SQL
INSERT INTO visits (id, title, theme, destination, description, starts_on, ends_on, capacity, per_member_quota, cost_fen, cost_covers, apply_deadline, withdraw_cutoff, status, approved_count, waitlisted_count, next_waitlist_seq, offer_id, rooming_saved, report_text, report_published_at, version, created_by, created_at, updated_at)
SELECT s.n, '报表考察' || s.n, '', '苏州', '', $day, $day, 100, NULL, 380000, '', $day, $day,
  CASE WHEN $day < '$RD_TODAY' THEN 'completed' ELSE 'confirmed' END, 50, 0, 1, NULL, 0, '', NULL, 1, NULL, '$at', '$at'
FROM bench_seq s WHERE $range;
SQL
      ;;
    visit_applications)
      echo "INSERT INTO visit_applications (id, visit_id, member_id, note, created_by, created_at) SELECT s.n, (s.n - 1) DIV 10 + 1, (s.n * 4099) % $U + 1, '', NULL, '$at' FROM bench_seq s WHERE $range;"
      ;;
    visit_delegates)
      cat <<SQL
INSERT INTO visit_delegates (id, visit_id, application_id, member_id, name, title, gender, mobile, active_mobile, dietary, shares_room, status, waitlist_seq, reason, fee_fen, checkin_token, room_no, decided_by, decided_at, promoted_at, withdrawn_at, created_at, updated_at)
SELECT s.n, a.visit_id, a.id, a.member_id, '团员' || s.n, '', CASE WHEN s.n % 3 = 0 THEN 'f' ELSE 'm' END,
  '137' || substr('00000000' || s.n, -8), '137' || substr('00000000' || s.n, -8), '', 0, 'approved', NULL, '', 380000, 'RD' || s.n, NULL, NULL, '$at', NULL, NULL, '$at', '$at'
FROM bench_seq s JOIN visit_applications a ON a.id = (s.n - 1) DIV 5 + 1 WHERE $range;
SQL
      ;;
    *) die "report_batch_sql: unknown table $table" ;;
  esac
}

# Counters the rows imply: receipt numbers continue after the generated ones; seat counts.
report_fixup_sql() {
  cat <<SQL
DELETE FROM dues_receipt_counters;
INSERT INTO dues_receipt_counters (year, last_seq) SELECT receipt_year, MAX(receipt_seq) FROM dues_payments GROUP BY receipt_year;
UPDATE classes SET confirmed_count = (SELECT COUNT(*) FROM enrollments e WHERE e.class_id = classes.id AND e.status = 'confirmed');
DROP TABLE bench_seq;
SQL
}

# report_check_sql UNIT_COLUMNS GROUP_COLUMNS — for each aggregate, the rows (with a non-zero
# figure) only the aggregate has and those only its source has, as check_aggregates in
# services/reports/report_repository.cpp compares them, except that the sources are computed once
# (report_unit_year_source into bench_uys, report_group_year_source into bench_gys) and
# report_units' correlated subqueries become one GROUP BY over bench_uys (the same figures in one
# pass; the view would recompute report_unit_year_source for every unit). The figure columns are
# the tables' own (all but their keys), read from the database by the caller.
# Prints "TABLE ONLY_IN_AGGREGATE ONLY_IN_SOURCE" lines.
report_check_sql() {
  local unit_cols="$1" group_cols="$2" c unit_list="" group_list="" unit_nz="" group_nz=""
  for c in $unit_cols; do
    unit_list+="${unit_list:+, }$c"
    unit_nz+="${unit_nz:+ OR }$c <> 0"
  done
  for c in $group_cols; do
    group_list+="${group_list:+, }$c"
    group_nz+="${group_nz:+ OR }$c <> 0"
  done
  # one NAME AGG_SELECT SOURCE_SELECT
  one() {
    echo "SELECT '$1', (SELECT COUNT(*) FROM ($2 EXCEPT $3) x), (SELECT COUNT(*) FROM ($3 EXCEPT $2) y);"
  }
  echo "DROP TABLE IF EXISTS bench_uys;"
  echo "DROP TABLE IF EXISTS bench_gys;"
  echo "CREATE TABLE bench_uys AS SELECT * FROM report_unit_year_source;"
  echo "CREATE TABLE bench_gys AS SELECT * FROM report_group_year_source;"
  local keys="city_code, org_type, org_level, tier, status, join_year, leave_year, members"
  one report_member_counts "SELECT $keys FROM report_member_counts WHERE members <> 0" \
    "SELECT $keys FROM report_member_counts_source WHERE members <> 0"
  one report_unit_year "SELECT member_id, year, $unit_list FROM report_unit_year WHERE $unit_nz" \
    "SELECT member_id, year, $unit_list FROM bench_uys WHERE $unit_nz"
  one report_group_year "SELECT year, city_code, org_type, tier, $group_list FROM report_group_year WHERE $group_nz" \
    "SELECT year, city_code, org_type, tier, $group_list FROM bench_gys WHERE $group_nz"
  local unz="last_active_year <> 0 OR outstanding_fen <> 0 OR oldest_arrears_year <> 0"
  one report_units "SELECT member_id, city_code, org_type, org_level, tier, status, sort_key, last_active_year, outstanding_fen, oldest_arrears_year FROM report_units WHERE $unz" \
    "SELECT * FROM (SELECT m.id AS member_id, m.city_code, m.org_type, m.org_level, m.tier, m.status, m.sort_key, COALESCE(a.last_active_year, 0) AS last_active_year, COALESCE(a.outstanding_fen, 0) AS outstanding_fen, COALESCE(a.oldest_arrears_year, 0) AS oldest_arrears_year FROM members m LEFT JOIN (SELECT member_id, MAX(CASE WHEN training_places + meeting_replies + meeting_attended + visit_delegates > 0 THEN year END) AS last_active_year, SUM(dues_outstanding_fen) AS outstanding_fen, MIN(CASE WHEN dues_outstanding_fen > 0 THEN year END) AS oldest_arrears_year FROM bench_uys GROUP BY member_id) a ON a.member_id = m.id) r WHERE $unz"
  one report_classes "SELECT class_id, year, places, attended, certificates FROM report_classes WHERE places <> 0 OR attended <> 0 OR certificates <> 0" \
    "SELECT class_id, year, places, attended, certificates FROM report_classes_source WHERE places <> 0 OR attended <> 0 OR certificates <> 0"
  one report_dues_months "SELECT month, billed_fen, collected_fen FROM report_dues_months WHERE billed_fen <> 0 OR collected_fen <> 0" \
    "SELECT month, billed_fen, collected_fen FROM report_dues_months_source WHERE billed_fen <> 0 OR collected_fen <> 0"
  echo "DROP TABLE bench_uys;"
  echo "DROP TABLE bench_gys;"
}
