#!/usr/bin/python3
"""An SMTP server that keeps what it receives, for tests/services/notifications/senders_test.cpp
(started by tests/support/sinks.cpp).

    smtp_sink.py --dir DIR [--tls] [--auth USER:PASS] [--refuse-first N] [--reject-all]
                 [--delay-ms N]

Listens on 127.0.0.1, port 0; once ready writes the port to DIR/port (atomically) and prints it
on stdout. Each accepted message is parsed by Python's email package (an independent reader of
what xiehui writes) and appended as one JSON line to DIR/messages.jsonl before the 250 answer,
so a client that saw 250 finds its line. Refusals (451 to DATA, 550 to RCPT) are counted in
DIR/refused. --tls makes a self-signed certificate for 127.0.0.1 (DIR/cert.pem, the file a
client trusts) and requires STARTTLS; --auth requires AUTH (over TLS when --tls).

Run with /usr/bin/python3: a pyenv or venv python does not see Debian's python3-aiosmtpd.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import signal
import ssl
import subprocess
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as error:  # the test must fail, not skip, when the server is missing
    sys.exit(
        f"smtp_sink.py: cannot import aiosmtpd ({error}); "
        "install Debian's python3-aiosmtpd and run with /usr/bin/python3"
    )


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def append_line(path, record):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", key, "-out", cert],
        check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def mailbox(header):
    """(display name, address) of the first mailbox in a parsed address header."""
    if header is None or not getattr(header, "addresses", None):
        return "", ""
    first = header.addresses[0]
    return first.display_name, first.addr_spec


def body_text(message, subtype):
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    # Line ends as a program wrote them: the transport's canonical CRLF is the sender's business.
    return part.get_content().replace("\r\n", "\n")


def defects_of(message):
    found = []
    for part in message.walk():
        found += [f"{type(d).__name__}: {d}" for d in part.defects]
        for name in part.keys():
            found += [f"{name}: {type(d).__name__}: {d}"
                      for d in getattr(part[name], "defects", ())]
    return found


class Sink:
    def __init__(self, args):
        self.dir = args.dir
        self.refuse_left = args.refuse_first
        self.reject_all = args.reject_all
        self.delay = args.delay_ms / 1000.0
        self.refused = 0
        self.user, _, self.password = (args.auth or "").partition(":")

    def count_refusal(self):
        self.refused += 1
        write_atomically(os.path.join(self.dir, "refused"), f"{self.refused}\n")

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user.encode()
              and auth_data.password == self.password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_all:
            self.count_refusal()
            return "550 5.1.1 Mailbox unavailable (sink --reject-all)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        if self.refuse_left > 0:
            self.refuse_left -= 1
            self.count_refusal()
            return "451 4.3.0 Try again later (sink --refuse-first)"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        from_name, from_address = mailbox(message["From"])
        to_name, to_address = mailbox(message["To"])
        auth_user = ""
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            auth_user = session.auth_data.login.decode("utf-8", "replace")
        headers = {name.lower(): value for name, value in message.raw_items()}
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_to": list(envelope.rcpt_tos),
            "headers": headers,
            "message_id": str(message.get("Message-ID", "")),
            "subject": str(message.get("Subject", "")),
            "from_name": from_name,
            "from_address": from_address,
            "to_name": to_name,
            "to_address": to_address,
            "list_unsubscribe": headers.get("list-unsubscribe", ""),
            "content_type": message.get_content_type(),
            "text": body_text(message, "plain"),
            "html": body_text(message, "html"),
            "defects": defects_of(message),
            "tls": session.ssl is not None,
            "auth_user": auth_user,
            "raw": raw.decode("utf-8", "replace"),
        }
        append_line(os.path.join(self.dir, "messages.jsonl"), record)
        return "250 OK"


async def serve(args):
    loop = asyncio.get_running_loop()
    sink = Sink(args)
    tls_context = make_certificate(args.dir) if args.tls else None
    options = {"hostname": "xiehui-sink", "loop": loop}
    if tls_context:
        options.update(tls_context=tls_context, require_starttls=True)
    if args.auth:
        options.update(authenticator=sink.authenticate, auth_required=True,
                       auth_require_tls=bool(tls_context))
    server = await loop.create_server(lambda: SMTP(sink, **options), host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    write_atomically(os.path.join(args.dir, "port"), f"{port}\n")
    print(port, flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--auth", metavar="USER:PASS")
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--reject-all", action="store_true")
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args()
    # aiosmtpd warns about its own deprecated attributes on every AUTH; stderr is for problems.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth takes USER:PASS")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
