#!/usr/bin/python3
"""An HTTP server standing in for an SMS gateway, for tests/services/notifications/
senders_test.cpp (started by tests/support/sinks.cpp).

    http_sink.py --dir DIR [--fail-first N] [--fail-status 503] [--delay-ms N]

Listens on 127.0.0.1, port 0; once ready writes the port to DIR/port (atomically) and prints it
on stdout. Answers the first N requests with --fail-status (counted in DIR/failed) and every
other one with 200 {"Code":"OK"}, after appending it as one JSON line {method, path, headers,
body} to DIR/requests.jsonl, so a client that saw 200 finds its line.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


class State:
    def __init__(self, args):
        self.dir = args.dir
        self.fail_left = args.fail_first
        self.fail_status = args.fail_status
        self.delay = args.delay_ms / 1000.0
        self.failed = 0
        self.lock = threading.Lock()


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the JSON lines are the record
            pass

        def answer(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            if state.delay > 0:
                time.sleep(state.delay)
            with state.lock:
                fail = state.fail_left > 0
                if fail:
                    state.fail_left -= 1
                    state.failed += 1
                    write_atomically(os.path.join(state.dir, "failed"), f"{state.failed}\n")
                else:
                    record = {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body.decode("utf-8", "replace"),
                    }
                    with open(os.path.join(state.dir, "requests.jsonl"), "a",
                              encoding="utf-8") as f:
                        f.write(json.dumps(record, ensure_ascii=False) + "\n")
                        f.flush()
                        os.fsync(f.fileno())
            if fail:
                self.answer(state.fail_status, {"Code": "Fail", "Message": "sink --fail-first"})
            else:
                self.answer(200, {"Code": "OK"})

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


def stop(signum, frame):
    raise SystemExit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=503)
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args()
    state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    write_atomically(os.path.join(args.dir, "port"), f"{port}\n")
    print(port, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
