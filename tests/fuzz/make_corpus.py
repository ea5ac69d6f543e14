#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/: small valid and nearly valid inputs
from which libFuzzer starts. Run it again after changing it; the files are committed."""
import io
import json
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + ALPHABET[(31 - total % 31) % 31]


def write(target, name, data):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def xlsx(rows, shared=True):
    strings, index = [], {}
    def cell(ref, value):
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if not shared:
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        if value not in index:
            index[value] = len(strings)
            strings.append(value)
        return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{chr(65 + c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rns}><sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>')
        if shared:
            sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {ns} count="{len(strings)}">{sst}</sst>')
    return buf.getvalue()


MEMBER_ROWS = [
    ["单位名称", "统一社会信用代码", "城市", "类型", "级别", "联系人", "手机", "邮箱"],
    ["长沙经济技术开发区", uscc("12430100MB1234567"), "长沙市", "经开区", "国家级", "张三", "13812345678", "zhang@example.cn"],
    ["湘潭高新技术产业开发区", uscc("11430300MB7654321"), "湘潭市", "高新区", "国家级", "李四", "+86 139-0000-1111", "li@example.cn"],
    ["岳阳,\"临港\"新区", "", "岳阳市", "", "省级", "王五", "0086 15012345678", ""],
]
STATEMENT_ROWS = [
    ["交易日期", "对方户名", "贷方金额", "借方金额", "摘要"],
    ["2026-03-01", "长沙经济技术开发区管理委员会", "12,000.00", "", "2026年会费"],
    ["2026/3/2", "湘潭高新区", "¥8000.5", "", "会费 XH-2026-0001"],
    ["20260303", "某公司", "", "300.00", "手续费"],
    ["45352", "株洲高新区", "+300", "", ""],
    ["2026年3月5日", "衡阳高新区", "1e5", "", "bad"],
]


def csv_text(rows):
    def q(v):
        v = str(v)
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    return "\r\n".join(",".join(q(v) for v in row) for row in rows) + "\r\n"


def main():
    shutil.rmtree(OUT, ignore_errors=True)

    for i, text in enumerate([
            uscc("91430100MA4L12345"), uscc("12430000MB0000001").lower(), " " + uscc("11430100MB1234567") + " ",
            "91430100MA4L1234X", "ＡＢＣ", "13812345678", "+86 138-1234-5678", "0086 199 0000 0000",
            "8613812345678", "12345678901", "zhang.san@Example.CN", "a@b", "\"x\"@例子.中国", "430100", ""]):
        write("validate_fuzz", f"seed{i:02}", text)

    # Inputs that once broke a property, kept as seeds (each has a regression test too).
    write("validate_fuzz", "regression-c1-in-email", b"z\xff\xff\xff\xff\xff\xffh\xc2\x92#.san@Exampl.C-")

    for i, text in enumerate([
            "长沙经济技术开发区", "湘江新区 2号园", "长沙", "长沙市", "张家界", "厦门", "Ｆｕｌｌｗｉｄｔｈ２Ａ",
            "Lǜ Zhōu", "吕", "\u00e9cole", "🙂园区", "\xff\xfe", "常德·桃源", "#1号"]):
        write("pinyin_fuzz", f"seed{i:02}", text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)

    for i, text in enumerate([
            "年会; 议程, 第一天\n第二天\r\n第三天\r结束", "a" * 80, "长" * 40, "\\,;:", "tab\there\x01\x7f\u0085",
            "emoji 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", ""]):
        write("ical_fuzz", f"seed{i:02}", text)
    write("ical_fuzz", "invalid_utf8", b"\xe4\xb8\xad\xff\xc3(\xed\xa0\x80 ok")

    write("csv_import_fuzz", "members_utf8.csv", csv_text(MEMBER_ROWS))
    write("csv_import_fuzz", "members_bom.csv", b"\xef\xbb\xbf" + csv_text(MEMBER_ROWS).encode())
    write("csv_import_fuzz", "members_gbk.csv", csv_text(MEMBER_ROWS).encode("gb18030"))
    write("csv_import_fuzz", "quoted_lf.csv", 'a,b\n"multi\nline","x""y"\n,,\n\n"unterminated')
    write("csv_import_fuzz", "excel_serial.csv", "日期,金额\n45292,1\n45352.5,2\n")

    write("xlsx_import_fuzz", "members_shared.xlsx", xlsx(MEMBER_ROWS))
    write("xlsx_import_fuzz", "members_inline.xlsx", xlsx(MEMBER_ROWS, shared=False))
    write("xlsx_import_fuzz", "statement.xlsx", xlsx(STATEMENT_ROWS))
    write("xlsx_import_fuzz", "numbers.xlsx", xlsx([["a", "b"], [1, 2.5], [45292, "x"]]))

    write("bank_statement_fuzz", "statement.csv", csv_text(STATEMENT_ROWS))
    write("bank_statement_fuzz", "statement_gbk.csv", csv_text(STATEMENT_ROWS).encode("gb18030"))
    write("bank_statement_fuzz", "statement.xlsx", xlsx(STATEMENT_ROWS))
    write("bank_statement_fuzz", "column_map.txt", "date:0,payer:1,amount:2,reference:4\n" + csv_text(STATEMENT_ROWS))

    bodies = [
        {"org_name": "长沙经济技术开发区", "credit_code": uscc("12430100MB1234567"), "city_code": "430100",
         "type": "经开区", "level": "国家级", "contact": {"name": "张三", "mobile": "13812345678", "email": "a@b.cn"}},
        {"attendees": [{"name": "张三", "mobile": "13812345678", "position": "主任"}], "note": "x"},
        {"amount_fen": 1200000, "paid_on": "2026-03-01", "method": "bank_transfer", "reference": "XH-1"},
        {"title": "年会", "starts_at": "2026-03-05T09:00:00+08:00", "ends_at": "2026-03-05", "room_id": 1,
         "invitees": [1, 2, 3], "rsvp_deadline": "2026-03-01"},
        {"status": "attending", "attendees": [{"name": "李四", "mobile": "+86 139 0000 1111"}]},
        {"delegates": [{"name": "王五", "gender": "m", "mobile": "15012345678", "id_last4": "123X"}],
         "rooms": [{"name": "A", "beds": 2, "members": [1, 2]}], "periods": [{"date": "2026-04-01", "half": "am"}]},
        {"year": 2026, "levels": {"国家级": 1200000, "省级": 800000}, "due_on": "2026-06-30", "reminder_days": [30, 7]},
        {"rule": {"freq": "weekly", "count": 10, "byday": ["MO", "WE"]}, "starts_at": "2026-03-02T09:00:00+08:00"},
        {"capacity": 1e309, "name": None, "x": [[[[[]]]]], "y": "\u0000", "z": -0.0},
        {"title": "a" * 300, "description": "line\r\nline", "fee_fen": "100", "quota_per_unit": -1},
    ]
    for i, body in enumerate(bodies):
        write("json_body_fuzz", f"body{i:02}.json", json.dumps(body, ensure_ascii=False))
    write("json_body_fuzz", "broken.json", '{"a": [1, 2,, "b": tru}')
    write("json_body_fuzz", "deep.json", "[" * 200 + "]" * 200)

    def req(method, target, body=None, auth=None, extra=""):
        head = f"{method} {target} HTTP/1.1\r\nHost: x\r\nAccept-Language: zh-CN\r\n"
        if auth:
            head += f"Authorization: Bearer {auth}\r\n"
        if body is not None:
            data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
            head += f"Content-Type: application/json\r\nContent-Length: {len(data.encode())}\r\n"
            return head + extra + "\r\n" + data
        return head + extra + "\r\n"
    requests = [
        req("GET", "/healthz"), req("GET", "/readyz"), req("GET", "/api/openapi.json"),
        req("POST", "/api/session", {"username": "admin", "password": "wrong"}),
        req("GET", "/api/session", auth="@A@"),
        req("GET", "/api/members?q=长沙&sort=name&page=1&page_size=50", auth="@A@"),
        req("GET", "/api/members/1", auth="@M@"), req("GET", "/api/members/2/history", auth="@M@"),
        req("PATCH", "/api/members/1", {"phone": "0731-88888888"}, auth="@M@"),
        req("POST", "/api/applications", bodies[0]),
        req("GET", "/api/applications?status=pending", auth="@A@"),
        req("GET", "/api/dues/invoices?year=2026&status=unpaid&page=1", auth="@A@"),
        req("POST", "/api/dues/invoices/1/payments", bodies[2], auth="@A@"),
        req("GET", "/api/classes?with_seats=true", auth="@M@"),
        req("POST", "/api/classes/1/enrollments", bodies[1], auth="@M@"),
        req("GET", "/api/enrollments/mine", auth="@M@"),
        req("GET", "/api/visits?upcoming=true", auth="@M@"),
        req("POST", "/api/visits/1/applications", bodies[5], auth="@M@"),
        req("GET", "/api/meetings", auth="@A@"), req("POST", "/api/meetings", bodies[3], auth="@A@"),
        req("GET", "/api/rooms", auth="@A@"), req("GET", "/api/calendar/events?from=2026-01-01&to=2026-12-31", auth="@A@"),
        req("GET", "/api/notifications?unread=true", auth="@M@"),
        req("GET", "/api/reports/dashboard?year=2026", auth="@A@"),
        req("GET", "/api/reports/engagement?page=1", auth="@A@"),
        req("GET", "/api/members/export?format=csv", auth="@A@"),
        req("GET", "/api/audit?page=1", auth="@A@"),
        req("POST", "/api/password-reset", {"email": "a@b.cn"}),
        "POST /api/applications HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
        "POST /api/session HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n",
        "GET /api/members/../../etc/passwd HTTP/1.0\r\n\r\n", "GET /%E9%95%BF%E6%B2%99?a=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\n\r\n", "GET /api/members/99999999999999999999 HTTP/1.1\r\nAuthorization: Bearer @A@\r\n\r\n",
    ]
    for i, r in enumerate(requests):
        write("http_request_fuzz", f"req{i:02}.http", r)


if __name__ == "__main__":
    main()
