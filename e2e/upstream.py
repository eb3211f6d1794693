#!/usr/bin/env python3
"""A tiny HTTP upstream for end-to-end tests: answers every request with its name and the headers it saw."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("upstream=%s\n" % NAME + "".join("%s: %s\n" % (k, v) for k, v in self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


NAME = sys.argv[1]
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Echo).serve_forever()
