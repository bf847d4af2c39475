"""Shared by the browser tests: an HTTP proxy on 127.0.0.1 that Chromium is pointed at, so a
request for any host but this machine is recorded (and refused) instead of leaving it."""
import re
import socket
import threading

# Hosts Chromium itself may call (updates, sign-in, search) even with background networking off;
# a page's own requests never go to them.
BROWSER_SERVICE_HOSTS = {"update.googleapis.com", "accounts.google.com", "clients2.google.com",
                         "clientservices.googleapis.com", "optimizationguide-pa.googleapis.com",
                         "content-autofill.googleapis.com", "redirector.gvt1.com",
                         "safebrowsingohttpgateway.googleapis.com", "edgedl.me.gvt1.com",
                         "start.duckduckgo.com",  # Debian's default search engine, preconnected by the new-tab page
                         # Chromium 150 (Debian, with the package's Google API keys): sign-in and its
                         # search preconnect, asked for on startup by the browser, not by any page
                         "www.google.com", "android.clients.google.com"}


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records the host of every request sent to it and refuses it.
    Chromium is pointed at it, so any request for a host other than this machine lands here."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hosts = []
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    continue
            m = re.match(r"(?:CONNECT\s+([^:\s]+)|[A-Z]+\s+\w+://([^/:\s]+))", first)
            if m:
                self.hosts.append(m.group(1) or m.group(2))

    def page_hosts(self):
        return sorted(set(self.hosts) - BROWSER_SERVICE_HOSTS)

    def close(self):
        self.stop = True
        self.thread.join(timeout=5)
        self.sock.close()
