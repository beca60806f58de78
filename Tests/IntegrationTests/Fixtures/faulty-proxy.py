#!/usr/bin/env python3
"""A loopback HTTP proxy in front of an S3 server that misbehaves on purpose.

For a share of requests it answers 503 SlowDown without forwarding, or cuts the connection:
either before forwarding (the request never reached the store) or after (the store applied
it, the client never heard: the retry must be harmless). `down` answers 503 to everything.

    faulty-proxy.py UPSTREAM_URL     prints "port N" once listening on 127.0.0.1

Control, not forwarded:  POST /__faults__ {"unavailable": 0.1, "cut": 0.1, "down": false}
                         GET  /__faults__ -> {"requests": n, "unavailable": n, "cut_before": n, ..., "settings": {...}}
Headers go through unchanged (Host included), so SigV4 signatures made for the proxy's
address verify upstream.
"""
import http.client
import http.server
import json
import random
import socket
import sys
import threading
import urllib.parse

CONTROL = "/__faults__"
lock = threading.Lock()
settings = {"unavailable": 0.0, "cut": 0.0, "down": False}
counters = {"requests": 0, "forwarded": 0, "unavailable": 0, "cut_before": 0, "cut_after": 0}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"}


def count(name):
    with lock:
        counters[name] += 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None

    def log_message(self, *args):
        pass

    def do_GET(self): self.handle_any()
    def do_PUT(self): self.handle_any()
    def do_POST(self): self.handle_any()
    def do_DELETE(self): self.handle_any()
    def do_HEAD(self): self.handle_any()

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def cut(self):
        # RST rather than FIN: the client sees a reset connection mid-exchange.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self.connection.close()

    def handle_any(self):
        body = self.read_body()
        if self.path.startswith(CONTROL):
            if self.command == "POST":
                with lock:
                    settings.update(json.loads(body or b"{}"))
            with lock:
                answer = json.dumps({**counters, "settings": settings}).encode()
            return self.reply(200, answer, "application/json")
        count("requests")
        with lock:
            down, unavailable, cut = settings["down"], settings["unavailable"], settings["cut"]
        roll = random.random()
        if down or roll < unavailable:
            count("unavailable")
            return self.reply(503, b"<Error><Code>SlowDown</Code><Message>injected by faulty-proxy</Message></Error>")
        if roll < unavailable + cut / 2:
            count("cut_before")
            return self.cut()
        cut_after = roll < unavailable + cut
        target = urllib.parse.urlsplit(self.upstream)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        count("forwarded")
        if cut_after:
            count("cut_after")
            # The store did the work; the client gets half an answer: the whole header block
            # and half the body when there is a body, else the header block cut short.
            if len(payload) > 1 and self.command != "HEAD":
                self.send_response(response.status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
            else:
                self.wfile.write(f"HTTP/1.1 {response.status} OK\r\nContent-Le".encode())
            self.wfile.flush()
            return self.cut()
        self.send_response(response.status)
        for name, value in response.getheaders():
            # A HEAD answer keeps the object's length; other answers carry what was read.
            if name.lower() not in HOP_BY_HOP and (name.lower() != "content-length" or self.command == "HEAD"):
                self.send_header(name, value)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def main():
    Handler.upstream = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
