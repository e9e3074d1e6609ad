#!/usr/bin/python3
"""A loopback syslog collector for the audit tests.

usage: syslog_receiver.py udp|tcp|tls OUTDIR [--port N] [--cert C --key K]

Listens on 127.0.0.1 (port N, or one the system picks), writes the port
to OUTDIR/port once it listens, and stores every message it receives as
OUTDIR/NNNN.msg: a datagram as it came (RFC 5426), or a frame of RFC 6587
octet counting ("LEN SP MSG") on TCP and TLS (RFC 5425).  Runs until it
is sent SIGTERM.  Shares no code with pdiburn.
"""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading


class Store:
    def __init__(self, outdir):
        self.outdir, self.n, self.lock = outdir, 0, threading.Lock()

    def put(self, msg):
        with self.lock:
            self.n += 1
            path = os.path.join(self.outdir, "%04d.msg" % self.n)
            with open(path + ".tmp", "wb") as f:
                f.write(msg)
            os.rename(path + ".tmp", path)


def frames(conn, store):
    buf = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b" " in buf:
            count, rest = buf.split(b" ", 1)
            if not count.isdigit():
                raise ValueError("not octet counting: %r" % buf[:40])
            if len(rest) < int(count):
                break
            store.put(rest[:int(count)])
            buf = rest[int(count):]


def serve_stream(sock, store, context):
    while True:
        conn, _ = sock.accept()
        try:
            if context:
                conn = context.wrap_socket(conn, server_side=True)
            frames(conn, store)
        except (OSError, ValueError, ssl.SSLError) as e:
            sys.stderr.write("receiver: %s\n" % e)
        finally:
            conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("transport", choices=["udp", "tcp", "tls"])
    ap.add_argument("outdir")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    store = Store(a.outdir)
    udp = a.transport == "udp"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", a.port))
    if not udp:
        sock.listen(8)
    context = None
    if a.transport == "tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(a.cert, a.key)
    with open(os.path.join(a.outdir, "port.tmp"), "w") as f:
        f.write(str(sock.getsockname()[1]))
    os.rename(os.path.join(a.outdir, "port.tmp"), os.path.join(a.outdir, "port"))
    if udp:
        while True:
            store.put(sock.recv(65535))
    serve_stream(sock, store, context)


if __name__ == "__main__":
    main()
