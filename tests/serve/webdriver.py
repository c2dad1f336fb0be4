"""A headless Chromium driven through ChromeDriver's W3C WebDriver protocol, with
nothing but Python's standard library: what tests/serve/browser.py and
benches/serve_page.py share."""
import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A ChromeDriver on a free port and one headless session at 1280x800."""

    def __init__(self):
        self.port = free_port()
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except Exception:
                time.sleep(0.1)
        options = {
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1280,800",
            ]
        }
        if os.path.exists("/usr/bin/chromium"):
            options["binary"] = "/usr/bin/chromium"
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": options,
                    "goog:loggingPrefs": {"browser": "ALL"},
                }
            }
        }
        self.session = "/session/" + self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.read().decode()[:500]}") from None

    def open(self, url):
        self.call("POST", f"{self.session}/url", {"url": url})

    def run(self, script, *args):
        """Runs `script` (a function body) in the page; its return value."""
        return self.call("POST", f"{self.session}/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.call("POST", f"{self.session}/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.call("POST", f"{self.session}/element/{self.find(css)}/click", {})

    def type_into(self, css, text):
        element = self.find(css)
        self.call("POST", f"{self.session}/element/{element}/clear", {})
        self.call("POST", f"{self.session}/element/{element}/value", {"text": text})

    def wait(self, script, timeout=20):
        """Waits until `script` returns something true; that value, or None at the timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.run(script)
            if value:
                return value
            time.sleep(0.02)
        return None

    def console(self):
        """The page's console messages since the last call: (level, message)."""
        entries = self.call("POST", f"{self.session}/se/log", {"type": "browser"}) or []
        return [(e.get("level"), e.get("message", "")) for e in entries]

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", f"{self.session}/screenshot")))

    def close(self):
        try:
            self.call("DELETE", self.session)
        finally:
            self.driver.kill()
