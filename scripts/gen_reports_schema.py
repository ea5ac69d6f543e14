#!/usr/bin/env python3
# Writes schema/{sqlite,mysql}/0014_reports.sql: the reports' aggregate tables, the triggers that
# keep them, the *_source views with the same figures in plain SQL, and the backfill. The SQL
# files are what ships; this keeps the two dialects' ~40 trigger statements in step.
import os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

UY = ["dues_invoices", "dues_billed_fen", "dues_reduced_fen", "dues_collected_fen",
      "dues_outstanding_fen", "dues_paid_invoices", "training_places", "training_attended",
      "training_certificates", "meeting_invitations", "meeting_replies", "meeting_attended",
      "visit_delegates", "visit_cost_fen", "meeting_unanswered"]
FLAGS = {"units_dues": "{r}.dues_invoices > 0",
         "units_training": "{r}.training_places > 0",
         "units_invited": "{r}.meeting_invitations > 0",
         "units_meetings": "{r}.meeting_replies + {r}.meeting_attended > 0",
         "units_visits": "{r}.visit_delegates > 0"}
GY = UY + list(FLAGS)
ACTIVE = "{r}.training_places + {r}.meeting_replies + {r}.meeting_attended + {r}.visit_delegates > 0"

class D:
    def __init__(self, name):
        self.name = name
        self.my = name == "mysql"
    def ts_year(self, col):
        if self.my: return f"YEAR(CAST({col} AS DATETIME(6)) + INTERVAL 8 HOUR)"
        return f"CAST(strftime('%Y', {col}, '+8 hours') AS INTEGER)"
    def date_year(self, col):
        if self.my: return f"CAST(SUBSTRING({col}, 1, 4) AS SIGNED)"
        return f"CAST(substr({col}, 1, 4) AS INTEGER)"
    def leave_year(self, col):
        return f"COALESCE({self.date_year(col)}, 0)"
    def upsert(self, table, keys, cols, select):
        # select: text "SELECT ... WHERE ..." producing keys + cols in order
        allc = keys + cols
        head = f"INSERT INTO {table} ({', '.join(allc)})\n    {select}\n    "
        if self.my:
            # Qualified: the SELECT may read a table with the same column names.
            sets = ", ".join(f"{table}.{c} = {table}.{c} + VALUES({c})" for c in cols)
            return head + f"ON DUPLICATE KEY UPDATE {sets}"
        sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in cols)
        return head + f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    def nofrom(self):
        return " FROM DUAL" if self.my else ""
    def trigger(self, name, when, table, body):
        each = " FOR EACH ROW" if self.my else ""
        stmts = "".join(f"  {s};\n" for s in body)
        return f"CREATE TRIGGER {name} {when} ON {table}{each}\nBEGIN\n{stmts}END;\n"
    def ne(self, a, b):
        return f"NOT ({a} <=> {b})" if self.my else f"{a} IS NOT {b}"

def vals(contrib, sign):
    out = []
    for c in UY:
        e = contrib.get(c)
        out.append("0" if e is None else (f"{sign}({e})" if sign == "-" else f"({e})"))
    return out

def uy_upsert(d, member, year, contrib, sign, frm="", where="1 = 1"):
    sel = f"SELECT {member}, {year}, " + ", ".join(vals(contrib, sign)) + (frm if frm else d.nofrom()) + f" WHERE {where}"
    return d.upsert("report_unit_year", ["member_id", "year"], UY, sel)

def invoice(r):
    return {"dues_invoices": f"{r}.status <> 'void'",
            "dues_billed_fen": f"CASE WHEN {r}.status <> 'void' THEN {r}.amount_fen ELSE 0 END",
            "dues_reduced_fen": f"CASE WHEN {r}.status <> 'void' THEN {r}.reduced_fen ELSE 0 END",
            "dues_collected_fen": f"CASE WHEN {r}.status <> 'void' THEN {r}.paid_fen ELSE 0 END",
            "dues_outstanding_fen": f"CASE WHEN {r}.status IN ('unpaid', 'partial') THEN {r}.amount_fen - {r}.reduced_fen - {r}.paid_fen ELSE 0 END",
            "dues_paid_invoices": f"{r}.status = 'paid'"}

def attended(r):
    return f"{r}.status = 'confirmed' AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = {r}.id)"

def uy_move(d, member, year, contrib, sign, frm, where, group):
    # The summed contributions of many rows (an activity's enrolments, replies…) at `year`.
    vals_ = []
    for c in UY:
        e = contrib.get(c)
        if e is None:
            vals_.append("0")
        else:
            vals_.append(f"{sign}SUM({e})" if sign == "-" else f"SUM({e})")
    sel = f"SELECT {member}, {year}, " + ", ".join(vals_) + f" FROM {frm} WHERE {where} GROUP BY {group}"
    return d.upsert("report_unit_year", ["member_id", "year"], UY, sel)

def enrollment(r):
    return {"training_places": f"{r}.status = 'confirmed'",
            "training_attended": attended(r),
            "training_certificates": f"{r}.certificate_code IS NOT NULL"}

def delegate(r):
    return {"visit_delegates": f"{r}.status = 'approved'",
            "visit_cost_fen": f"CASE WHEN {r}.status = 'approved' THEN {r}.fee_fen ELSE 0 END"}

def class_year(d, cid): return f"(SELECT {d.ts_year('c.starts_at')} FROM classes c WHERE c.id = {cid})"
def meeting_year(d, mid): return f"(SELECT {d.ts_year('mt.starts_at')} FROM meetings mt WHERE mt.id = {mid})"
def visit_year(d, vid): return f"(SELECT {d.date_year('v.starts_on')} FROM visits v WHERE v.id = {vid})"

CLS = ["places", "attended", "certificates"]
def class_upsert(d, r, sign):
    e = enrollment(r)
    v = [e["training_places"], e["training_attended"], e["training_certificates"]]
    v = [f"-({x})" if sign == "-" else f"({x})" for x in v]
    sel = f"SELECT {r}.class_id, {class_year(d, r + '.class_id')}, " + ", ".join(v) + d.nofrom() + " WHERE 1 = 1"
    return d.upsert("report_classes", ["class_id", "year"], CLS, sel)

def month_upsert(d, month, billed, collected, where):
    sel = f"SELECT {month}, {billed}, {collected}{d.nofrom()} WHERE {where}"
    return d.upsert("report_dues_months", ["month"], ["billed_fen", "collected_fen"], sel)

MC_KEYS = ["city_code", "org_type", "org_level", "tier", "status", "join_year", "leave_year"]
def mc_key_vals(d, r):
    return [f"{r}.city_code", f"{r}.org_type", f"{r}.org_level", f"{r}.tier", f"{r}.status",
            d.date_year(f"{r}.joined_on"), d.leave_year(f"{r}.left_on")]

def member_count(d, r, sign):
    kv = mc_key_vals(d, r)
    sel = "SELECT " + ", ".join(kv) + f", {sign}1" + d.nofrom() + " WHERE 1 = 1"
    return d.upsert("report_member_counts", MC_KEYS, ["members"], sel)

GKEYS = ["year", "city_code", "org_type", "tier"]
def group_from_unit(d, new, old, member_table_alias="m"):
    # delta NEW - OLD (old may be None) for the unit's current group
    vals = []
    for c in UY:
        vals.append(f"{new}.{c}" + (f" - {old}.{c}" if old else ""))
    for f, e in FLAGS.items():
        vals.append(f"({e.format(r=new)})" + (f" - ({e.format(r=old)})" if old else ""))
    sel = (f"SELECT {new}.year, m.city_code, m.org_type, m.tier, " + ", ".join(vals) +
           f" FROM members m WHERE m.id = {new}.member_id")
    return d.upsert("report_group_year", GKEYS, GY, sel)

def group_move(d, sign, r):
    # the unit's rows, + or -, for group key of member row r
    vals = [f"{sign}u.{c}" for c in UY] + [f"{sign}({e.format(r='u')})" for e in FLAGS.values()]
    changed = " OR ".join(d.ne(f"OLD.{c}", f"NEW.{c}") for c in ["city_code", "org_type", "tier"])
    sel = (f"SELECT u.year, {r}.city_code, {r}.org_type, {r}.tier, " + ", ".join(vals) +
           f" FROM report_unit_year u WHERE u.member_id = {r}.id AND ({changed})")
    return d.upsert("report_group_year", GKEYS, GY, sel)

def units_refresh(d, mid):
    return ("UPDATE report_units SET "
            f"last_active_year = COALESCE((SELECT MAX(u.year) FROM report_unit_year u WHERE u.member_id = {mid} AND {ACTIVE.format(r='u')}), 0), "
            f"outstanding_fen = COALESCE((SELECT SUM(u.dues_outstanding_fen) FROM report_unit_year u WHERE u.member_id = {mid}), 0), "
            f"oldest_arrears_year = COALESCE((SELECT MIN(u.year) FROM report_unit_year u WHERE u.member_id = {mid} AND u.dues_outstanding_fen > 0), 0) "
            f"WHERE member_id = {mid}")

def sort_key(d, r):
    return f"SUBSTRING({r}.sort_key, 1, 191)" if d.my else f"{r}.sort_key"

def gen(d):
    T = []  # statements (each ends with ;)
    big = "BIGINT NOT NULL DEFAULT 0" if d.my else "INTEGER NOT NULL DEFAULT 0"
    intt = "INT NOT NULL" if d.my else "INTEGER NOT NULL"
    eng = ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;" if d.my else ");"
    txt = lambda n: (f"VARCHAR({n}) NOT NULL" if d.my else "TEXT NOT NULL")
    T.append("ALTER TABLE members ADD COLUMN left_on " + ("CHAR(10) NULL;" if d.my else "TEXT NULL;"))
    T.append("CREATE TABLE report_member_counts (\n  city_code " + ("CHAR(6) NOT NULL" if d.my else "TEXT NOT NULL") +
             ",\n  org_type " + txt(32) + ",\n  org_level " + txt(16) + ",\n  tier " + txt(32) +
             ",\n  status " + txt(16) + f",\n  join_year {intt},\n  leave_year {intt},\n  members {big},\n"
             "  CONSTRAINT pk_report_member_counts PRIMARY KEY (city_code, org_type, org_level, tier, status, join_year, leave_year)\n" + eng)
    cols = ",\n".join(f"  {c} {big}" for c in UY)
    T.append(f"CREATE TABLE report_unit_year (\n  member_id {'BIGINT NOT NULL' if d.my else 'INTEGER NOT NULL'},\n  year {intt},\n{cols},\n"
             "  CONSTRAINT pk_report_unit_year PRIMARY KEY (member_id, year)\n" + eng)
    T.append("CREATE INDEX ix_report_unit_year_training ON report_unit_year (year, training_places, member_id);")
    T.append("CREATE INDEX ix_report_unit_year_meetings ON report_unit_year (year, meeting_unanswered, member_id);")
    T.append("CREATE INDEX ix_report_unit_year_visits ON report_unit_year (year, visit_delegates, member_id);")
    gcols = ",\n".join(f"  {c} {big}" for c in GY)
    T.append(f"CREATE TABLE report_group_year (\n  year {intt},\n  city_code {'CHAR(6) NOT NULL' if d.my else 'TEXT NOT NULL'},\n  org_type {txt(32)},\n  tier {txt(32)},\n{gcols},\n"
             "  CONSTRAINT pk_report_group_year PRIMARY KEY (year, city_code, org_type, tier)\n" + eng)
    T.append(f"CREATE TABLE report_units (\n  member_id {'BIGINT NOT NULL' if d.my else 'INTEGER NOT NULL'} PRIMARY KEY,\n"
             f"  city_code {'CHAR(6) NOT NULL' if d.my else 'TEXT NOT NULL'},\n  org_type {txt(32)},\n  org_level {txt(16)},\n  tier {txt(32)},\n  status {txt(16)},\n"
             f"  sort_key {'VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL' if d.my else 'TEXT NOT NULL'},\n"
             f"  last_active_year {intt} DEFAULT 0,\n  outstanding_fen {big},\n  oldest_arrears_year {intt} DEFAULT 0\n" + eng)
    T.append("CREATE INDEX ix_report_units_drift ON report_units (last_active_year, outstanding_fen DESC, sort_key);")
    T.append("CREATE INDEX ix_report_units_arrears ON report_units (oldest_arrears_year, outstanding_fen);")
    # The drill-down lists: one dimension's units in pinyin order, walked without a sort.
    for col in ["city_code", "org_type", "org_level", "tier", "status"]:
        T.append(f"CREATE INDEX ix_report_units_by_{col} ON report_units ({col}, sort_key);")
    T.append("CREATE INDEX ix_report_units_status ON report_units (status, last_active_year);")
    T.append(f"CREATE TABLE report_classes (\n  class_id {'BIGINT NOT NULL' if d.my else 'INTEGER NOT NULL'},\n  year {intt},\n"
             + ",\n".join(f"  {c} {big}" for c in CLS) + ",\n  CONSTRAINT pk_report_classes PRIMARY KEY (class_id, year)\n" + eng)
    T.append("CREATE INDEX ix_report_classes_year ON report_classes (year);")
    T.append(f"CREATE TABLE report_dues_months (\n  month {'CHAR(7) NOT NULL' if d.my else 'TEXT NOT NULL'} PRIMARY KEY,\n  billed_fen {big},\n  collected_fen {big}\n" + eng)
    T.append("CREATE INDEX ix_classes_starts ON classes (starts_at);")
    T.append("CREATE INDEX ix_visits_starts ON visits (starts_on);")

    trig = []
    # members
    ins_units = ("INSERT INTO report_units (member_id, city_code, org_type, org_level, tier, status, sort_key, last_active_year, outstanding_fen, oldest_arrears_year) "
                 f"VALUES (NEW.id, NEW.city_code, NEW.org_type, NEW.org_level, NEW.tier, NEW.status, {sort_key(d, 'NEW')}, 0, 0, 0)")
    trig.append(d.trigger("trg_report_members_insert", "AFTER INSERT", "members", [member_count(d, "NEW", ""), ins_units]))
    upd_units = ("UPDATE report_units SET city_code = NEW.city_code, org_type = NEW.org_type, org_level = NEW.org_level, tier = NEW.tier, "
                 f"status = NEW.status, sort_key = {sort_key(d, 'NEW')} WHERE member_id = NEW.id")
    trig.append(d.trigger("trg_report_members_update", "AFTER UPDATE", "members",
                          [member_count(d, "OLD", "-"), member_count(d, "NEW", ""),
                           group_move(d, "-", "OLD"), group_move(d, "", "NEW"), upd_units]))
    trig.append(d.trigger("trg_report_members_delete", "AFTER DELETE", "members",
                          [member_count(d, "OLD", "-"), "DELETE FROM report_units WHERE member_id = OLD.id"]))
    # unit-year -> group and units
    trig.append(d.trigger("trg_report_unit_year_insert", "AFTER INSERT", "report_unit_year",
                          [group_from_unit(d, "NEW", None), units_refresh(d, "NEW.member_id")]))
    trig.append(d.trigger("trg_report_unit_year_update", "AFTER UPDATE", "report_unit_year",
                          [group_from_unit(d, "NEW", "OLD"), units_refresh(d, "NEW.member_id")]))
    # dues invoices
    def inv_month(r, sign):
        return month_upsert(d, f"substr({r}.issued_on, 1, 7)", f"{sign}(CASE WHEN {r}.status <> 'void' THEN {r}.amount_fen ELSE 0 END)", "0", "1 = 1")
    trig.append(d.trigger("trg_report_invoices_insert", "AFTER INSERT", "dues_invoices",
                          [uy_upsert(d, "NEW.member_id", "NEW.year", invoice("NEW"), ""), inv_month("NEW", "")]))
    trig.append(d.trigger("trg_report_invoices_update", "AFTER UPDATE", "dues_invoices",
                          [uy_upsert(d, "OLD.member_id", "OLD.year", invoice("OLD"), "-"),
                           uy_upsert(d, "NEW.member_id", "NEW.year", invoice("NEW"), ""),
                           inv_month("OLD", "-"), inv_month("NEW", "")]))
    trig.append(d.trigger("trg_report_invoices_delete", "AFTER DELETE", "dues_invoices",
                          [uy_upsert(d, "OLD.member_id", "OLD.year", invoice("OLD"), "-"), inv_month("OLD", "-")]))
    def pay_month(r, sign):
        return month_upsert(d, f"substr({r}.paid_on, 1, 7)", "0", f"{sign}(CASE WHEN {r}.status = 'valid' THEN {r}.amount_fen ELSE 0 END)", "1 = 1")
    trig.append(d.trigger("trg_report_payments_insert", "AFTER INSERT", "dues_payments", [pay_month("NEW", "")]))
    trig.append(d.trigger("trg_report_payments_update", "AFTER UPDATE", "dues_payments", [pay_month("OLD", "-"), pay_month("NEW", "")]))
    trig.append(d.trigger("trg_report_payments_delete", "AFTER DELETE", "dues_payments", [pay_month("OLD", "-")]))
    # enrollments
    def enr(r, sign):
        return uy_upsert(d, f"{r}.member_id", class_year(d, f"{r}.class_id"), enrollment(r), sign, where=f"{r}.member_id IS NOT NULL")
    trig.append(d.trigger("trg_report_enrollments_insert", "AFTER INSERT", "enrollments", [enr("NEW", ""), class_upsert(d, "NEW", "")]))
    trig.append(d.trigger("trg_report_enrollments_update", "AFTER UPDATE", "enrollments",
                          [enr("OLD", "-"), enr("NEW", ""), class_upsert(d, "OLD", "-"), class_upsert(d, "NEW", "")]))
    trig.append(d.trigger("trg_report_enrollments_delete", "AFTER DELETE", "enrollments", [enr("OLD", "-"), class_upsert(d, "OLD", "-")]))
    # attendance: an enrolment counts as attended from its first check-in to its last undo
    def att(r, sign, count):
        cond = f"e.id = {r}.enrollment_id AND e.status = 'confirmed' AND (SELECT COUNT(*) FROM attendance a WHERE a.enrollment_id = {r}.enrollment_id) = {count}"
        one = "-1" if sign == "-" else "1"
        uy = uy_upsert(d, "e.member_id", class_year(d, "e.class_id"), {"training_attended": one}, "",
                       frm=" FROM enrollments e", where=cond + " AND e.member_id IS NOT NULL")
        sel = f"SELECT e.class_id, {class_year(d, 'e.class_id')}, 0, {one}, 0 FROM enrollments e WHERE {cond}"
        cl = d.upsert("report_classes", ["class_id", "year"], CLS, sel)
        return [uy, cl]
    trig.append(d.trigger("trg_report_attendance_insert", "AFTER INSERT", "attendance", att("NEW", "", 1)))
    trig.append(d.trigger("trg_report_attendance_delete", "AFTER DELETE", "attendance", att("OLD", "-", 0)))
    # meetings
    # meeting_unanswered (invitations less replies) orders the units replying least first.
    for table, contrib, short in [("meeting_invitees", {"meeting_invitations": "1", "meeting_unanswered": "1"}, "invitees"),
                                  ("meeting_rsvps", {"meeting_replies": "1", "meeting_unanswered": "-1"}, "rsvps"),
                                  ("meeting_attendance", {"meeting_attended": "1"}, "attendance")]:
        trig.append(d.trigger(f"trg_report_meeting_{short}_insert", "AFTER INSERT", table,
                              [uy_upsert(d, "NEW.member_id", meeting_year(d, "NEW.meeting_id"), contrib, "")]))
        trig.append(d.trigger(f"trg_report_meeting_{short}_delete", "AFTER DELETE", table,
                              [uy_upsert(d, "OLD.member_id", meeting_year(d, "OLD.meeting_id"), contrib, "-")]))
    # visit delegates
    def dlg(r, sign):
        return uy_upsert(d, f"{r}.member_id", visit_year(d, f"{r}.visit_id"), delegate(r), sign)
    trig.append(d.trigger("trg_report_delegates_insert", "AFTER INSERT", "visit_delegates", [dlg("NEW", "")]))
    trig.append(d.trigger("trg_report_delegates_update", "AFTER UPDATE", "visit_delegates", [dlg("OLD", "-"), dlg("NEW", "")]))
    trig.append(d.trigger("trg_report_delegates_delete", "AFTER DELETE", "visit_delegates", [dlg("OLD", "-")]))

    # An activity moved into another year takes its figures along (rare: a class, meeting or
    # visit rescheduled across New Year).
    oy, ny = d.ts_year("OLD.starts_at"), d.ts_year("NEW.starts_at")
    moved = f"{oy} <> {ny}"
    cls = []
    for sign, year in [("-", oy), ("", ny)]:
        cls.append(uy_move(d, "e.member_id", year, enrollment("e"), sign, "enrollments e",
                           f"e.class_id = NEW.id AND e.member_id IS NOT NULL AND {moved}", "e.member_id"))
        e = enrollment("e")
        v = [e["training_places"], e["training_attended"], e["training_certificates"]]
        v = [f"-SUM({x})" if sign == "-" else f"SUM({x})" for x in v]
        sel = f"SELECT NEW.id, {year}, " + ", ".join(v) + f" FROM enrollments e WHERE e.class_id = NEW.id AND {moved} GROUP BY e.class_id"
        cls.append(d.upsert("report_classes", ["class_id", "year"], CLS, sel))
    trig.append(d.trigger("trg_report_classes_update", "AFTER UPDATE", "classes", cls))
    mts = []
    for sign, year in [("-", oy), ("", ny)]:
        for table, contrib in [("meeting_invitees", {"meeting_invitations": "1", "meeting_unanswered": "1"}),
                               ("meeting_rsvps", {"meeting_replies": "1", "meeting_unanswered": "-1"}),
                               ("meeting_attendance", {"meeting_attended": "1"})]:
            mts.append(uy_move(d, "x.member_id", year, contrib, sign, f"{table} x",
                               f"x.meeting_id = NEW.id AND {moved}", "x.member_id"))
    trig.append(d.trigger("trg_report_meetings_update", "AFTER UPDATE", "meetings", mts))
    voy, vny = d.date_year("OLD.starts_on"), d.date_year("NEW.starts_on")
    vis = []
    for sign, year in [("-", voy), ("", vny)]:
        vis.append(uy_move(d, "g.member_id", year, delegate("g"), sign, "visit_delegates g",
                           f"g.visit_id = NEW.id AND {voy} <> {vny}", "g.member_id"))
    trig.append(d.trigger("trg_report_visits_update", "AFTER UPDATE", "visits", vis))

    # source views: the same figures in plain SQL over the base tables
    def part(member, year, contrib, frm, where):
        return f"SELECT {member} AS member_id, {year} AS year, " + ", ".join(
            f"{('(' + contrib[c] + ')') if c in contrib else '0'} AS {c}" for c in UY) + f" FROM {frm} WHERE {where}"
    parts = [
        part("i.member_id", "i.year", invoice("i"), "dues_invoices i", "1 = 1"),
        part("e.member_id", d.ts_year("c.starts_at"), enrollment("e"), "enrollments e JOIN classes c ON c.id = e.class_id", "e.member_id IS NOT NULL"),
        part("x.member_id", d.ts_year("mt.starts_at"), {"meeting_invitations": "1", "meeting_unanswered": "1"}, "meeting_invitees x JOIN meetings mt ON mt.id = x.meeting_id", "1 = 1"),
        part("x.member_id", d.ts_year("mt.starts_at"), {"meeting_replies": "1", "meeting_unanswered": "-1"}, "meeting_rsvps x JOIN meetings mt ON mt.id = x.meeting_id", "1 = 1"),
        part("x.member_id", d.ts_year("mt.starts_at"), {"meeting_attended": "1"}, "meeting_attendance x JOIN meetings mt ON mt.id = x.meeting_id", "1 = 1"),
        part("g.member_id", d.date_year("v.starts_on"), delegate("g"), "visit_delegates g JOIN visits v ON v.id = g.visit_id", "1 = 1"),
    ]
    sums = ", ".join(f"SUM(s.{c}) AS {c}" for c in UY)
    T_views = []
    T_views.append("CREATE VIEW report_unit_year_source AS\nSELECT s.member_id, s.year, " + sums + " FROM (\n  " +
                   "\n  UNION ALL ".join(parts) + "\n) s GROUP BY s.member_id, s.year;")
    gsums = ", ".join([f"SUM(u.{c}) AS {c}" for c in UY] + [f"SUM({e.format(r='u')}) AS {f}" for f, e in FLAGS.items()])
    T_views.append("CREATE VIEW report_group_year_source AS\nSELECT u.year, m.city_code, m.org_type, m.tier, " + gsums +
                   " FROM report_unit_year_source u JOIN members m ON m.id = u.member_id GROUP BY u.year, m.city_code, m.org_type, m.tier;")
    T_views.append("CREATE VIEW report_member_counts_source AS\nSELECT m.city_code, m.org_type, m.org_level, m.tier, m.status, "
                   f"{d.date_year('m.joined_on')} AS join_year, {d.leave_year('m.left_on')} AS leave_year, COUNT(*) AS members FROM members m "
                   f"GROUP BY m.city_code, m.org_type, m.org_level, m.tier, m.status, {d.date_year('m.joined_on')}, {d.leave_year('m.left_on')};")
    T_views.append("CREATE VIEW report_units_source AS\nSELECT m.id AS member_id, m.city_code, m.org_type, m.org_level, m.tier, m.status, "
                   f"{sort_key(d, 'm')} AS sort_key, "
                   f"COALESCE((SELECT MAX(u.year) FROM report_unit_year_source u WHERE u.member_id = m.id AND {ACTIVE.format(r='u')}), 0) AS last_active_year, "
                   "COALESCE((SELECT SUM(u.dues_outstanding_fen) FROM report_unit_year_source u WHERE u.member_id = m.id), 0) AS outstanding_fen, "
                   "COALESCE((SELECT MIN(u.year) FROM report_unit_year_source u WHERE u.member_id = m.id AND u.dues_outstanding_fen > 0), 0) AS oldest_arrears_year "
                   "FROM members m;")
    e = enrollment("e")
    T_views.append("CREATE VIEW report_classes_source AS\nSELECT e.class_id, " + d.ts_year("c.starts_at") + " AS year, "
                   f"SUM({e['training_places']}) AS places, SUM({e['training_attended']}) AS attended, SUM({e['training_certificates']}) AS certificates "
                   "FROM enrollments e JOIN classes c ON c.id = e.class_id GROUP BY e.class_id, " + d.ts_year("c.starts_at") + ";")
    T_views.append("CREATE VIEW report_dues_months_source AS\nSELECT s.month, SUM(s.billed_fen) AS billed_fen, SUM(s.collected_fen) AS collected_fen FROM (\n"
                   "  SELECT substr(i.issued_on, 1, 7) AS month, CASE WHEN i.status <> 'void' THEN i.amount_fen ELSE 0 END AS billed_fen, 0 AS collected_fen FROM dues_invoices i\n"
                   "  UNION ALL SELECT substr(p.paid_on, 1, 7), 0, CASE WHEN p.status = 'valid' THEN p.amount_fen ELSE 0 END FROM dues_payments p\n"
                   ") s GROUP BY s.month;")
    # backfill the existing data (the triggers of report_unit_year fill the groups and units)
    back = []
    back.append("INSERT INTO report_member_counts (" + ", ".join(MC_KEYS) + ", members) SELECT " + ", ".join(MC_KEYS) + ", members FROM report_member_counts_source;")
    back.append("INSERT INTO report_units (member_id, city_code, org_type, org_level, tier, status, sort_key, last_active_year, outstanding_fen, oldest_arrears_year) "
                f"SELECT m.id, m.city_code, m.org_type, m.org_level, m.tier, m.status, {sort_key(d, 'm')}, 0, 0, 0 FROM members m;")
    back.append("INSERT INTO report_unit_year (member_id, year, " + ", ".join(UY) + ") SELECT member_id, year, " + ", ".join(UY) + " FROM report_unit_year_source;")
    back.append("INSERT INTO report_classes (class_id, year, places, attended, certificates) SELECT class_id, year, places, attended, certificates FROM report_classes_source;")
    back.append("INSERT INTO report_dues_months (month, billed_fen, collected_fen) SELECT month, billed_fen, collected_fen FROM report_dues_months_source;")

    header = ("-- Reports (issue 16): aggregates the writes keep current in their own transaction, by triggers,\n"
              "-- so every report reads a few hundred rows however many units, invoices and sign-ups there are,\n"
              "-- and is never stale. The *_source views compute the same figures in plain SQL over the base\n"
              "-- tables: the migration fills the aggregates from them, and a test compares the two after\n"
              "-- random writes. Both dialects are written by scripts/gen_reports_schema.py: change it, not them.\n"
              "-- By city, type and tier means the unit's current ones: a member's update moves its figures.\n"
              "-- Years: a class or meeting by its start in Asia/Shanghai, a visit by its start date, dues by\n"
              "-- the invoice's year. left_on is the date a unit left (withdrawn, expelled); NULL otherwise.\n\n")
    return header + "\n".join(T) + "\n\n" + "\n".join(trig) + "\n" + "\n".join(T_views) + "\n\n" + "\n".join(back) + "\n"

for name in ["sqlite", "mysql"]:
    open(os.path.join(root, "schema", name, "0014_reports.sql"), "w").write(gen(D(name)))
