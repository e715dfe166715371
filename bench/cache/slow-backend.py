#!/usr/bin/python3
"""A backend that answers every request after a delay, for run-cache's coalescing runs.

    slow-backend.py ADDRESS:PORT DELAY_SECONDS BODY_BYTES

GET /count answers how many other requests it has received (that request is not counted); any
other request waits DELAY_SECONDS, then gets 200 with BODY_BYTES of JSON and Cache-Control
public, max-age=3600. Each connection has a thread of its own, so N concurrent requests are all
answered after the one delay: a proxy that does not coalesce them makes N requests, and the
count says so. Debian's python3 and its standard library only.
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
received = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global received
        if self.path == "/count":
            with lock:
                body = b"%d\n" % received
            self.answer(body, "text/plain", "no-store")
            return
        with lock:
            received += 1
        time.sleep(DELAY_S)
        self.answer(BODY, "application/json", "public, max-age=3600")

    def answer(self, body, content_type, cache_control):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # N concurrent connections arrive at once: the default backlog of 5 would refuse some.
    request_queue_size = 1024


if __name__ == "__main__":
    host, port = sys.argv[1].rsplit(":", 1)
    DELAY_S = float(sys.argv[2])
    BODY = (b'{"slow":"' + b"x" * max(0, int(sys.argv[3]) - 11) + b'"}')[: int(sys.argv[3])]
    Server((host, int(port)), Handler).serve_forever()
