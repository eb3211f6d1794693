#!/usr/bin/env python3
"""An upstream application of the fleet example: answers every GET with its name and the request headers it
received, so you can see what the front and the workers added (X-Real-IP, X-Forwarded-For, ...).

Usage: app.py NAME PORT   (listens on 127.0.0.1:PORT)
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class App(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        lines = ["app=%s" % NAME] + ["%s: %s" % (k, v) for k, v in self.headers.items()]
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


NAME = sys.argv[1]
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), App).serve_forever()
