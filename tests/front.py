"""A real Varnish (Debian's varnishd) in front of a test server, with our VCL."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "encyclopedia.vcl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def varnishd_missing() -> bool:
    return shutil.which("varnishd") is None and not Path("/usr/sbin/varnishd").exists()


class Varnish:
    """varnishd in the foreground of its own process group, stopped by its pid."""

    def __init__(self, backend_host: str, backend_port: int):
        self.folder = Path(tempfile.mkdtemp(prefix="varnish-test-"))
        self.port = free_port()
        self.backend = (backend_host, backend_port)
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Varnish":
        vcl = self.folder / "site.vcl"
        vcl.write_text(
            VCL.read_text()
            .replace("__BACKEND_HOST__", self.backend[0])
            .replace("__BACKEND_PORT__", str(self.backend[1]))
        )
        binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        self.process = subprocess.Popen(
            [
                binary,
                "-F",
                "-j",
                "none",
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-n",
                str(self.folder / "state"),
                "-s",
                "malloc,64m",
            ],
            stdout=open(self.folder / "log", "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(
                    self.url, method="BAN", headers={"X-Ban-Url": "^/nothing$"}
                )
                with urllib.request.urlopen(request, timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("varnishd did not start: " + (self.folder / "log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=20)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
