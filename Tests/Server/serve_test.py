#!/usr/bin/env python3
"""Integration tests of `lessonlens serve` on 127.0.0.1 (ephemeral ports only;
every loop is bounded). usage: serve_test.py LESSONLENS_BINARY
Prints 'N passed, M failed' and exits 1 on any failure."""
import json
import socket, os, random, signal, subprocess, sys, tempfile, threading, time, traceback, urllib.request, urllib.error

BIN = sys.argv[1]
work = tempfile.mkdtemp(prefix="serve-")
results = []

def test(fn):
    try:
        fn(); results.append((fn.__name__, None))
    except Exception:
        results.append((fn.__name__, traceback.format_exc()))
    return fn

def lesson(i, teacher="王芳老师", reading_end="12:00"):
    return json.dumps({"id": f"s-{i}", "date": "2026-03-12", "teacher": teacher, "subject": "chinese", "grade": 3,
                       "segments": [{"start": "0:00", "end": reading_end, "kind": "read"}],
                       "performances": [{"t": 30, "student": "S1", "kind": "answer"}]}, ensure_ascii=False, separators=(",", ":"))

class Server:
    def __init__(self, archive, *extra):
        self.proc = subprocess.Popen([BIN, "serve", "--archive", archive, "--port", "0", *extra],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.port = None
        self.log = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            if "serving" in line:
                self.port = int(line.rsplit(":", 1)[1].strip("/\n"))
                break
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, headers=None, timeout=10):
        headers = dict(headers or {})
        # Lessons are sent as JSON Lines (the server refuses other types on the API).
        if method in ("POST", "PUT") and path.startswith("/api/") and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-ndjson"
        req = urllib.request.Request(self.url(path), data=body.encode() if isinstance(body, str) else body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), dict(e.headers)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        try: self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait()

def check(archive):
    return subprocess.run([BIN, "check", "-q", archive], capture_output=True, text=True)

@test
def store_retry_conflict_reject_and_reports():
    archive = os.path.join(work, "a.jsonl")
    s = Server(archive)
    assert s.port, "".join(s.log)
    try:
        status, body, _ = s.request("GET", "/api/health")
        assert status == 200 and json.loads(body)["status"] == "ok"
        two = lesson(1) + "\n" + lesson(2, teacher="Mr. Brown") + "\n"
        status, body, _ = s.request("POST", "/api/lessons", two)
        assert status == 200, (status, body)
        lines = json.loads(body)["lines"]
        assert [(l["line"], l["id"], l["status"], l["errors"]) for l in lines] == [(1, "s-1", "stored", []), (2, "s-2", "stored", [])], lines
        # A retry is safe: the same bytes are a duplicate, status 200.
        status, body, _ = s.request("POST", "/api/lessons", two)
        assert status == 200 and [l["status"] for l in json.loads(body)["lines"]] == ["duplicate", "duplicate"], body
        # The same id with other content: 409.
        status, body, _ = s.request("POST", "/api/lessons", lesson(1, reading_end="13:00") + "\n")
        assert status == 409 and json.loads(body)["lines"][0]["status"] == "conflict", (status, body)
        # A line breaking the contract: 422 with check's message; the other line is still stored.
        bad = lesson(3).replace('"grade":3', '"grade":0')
        status, body, _ = s.request("POST", "/api/lessons", bad + "\n" + lesson(4) + "\n")
        assert status == 422, (status, body)
        lines = json.loads(body)["lines"]
        assert lines[0]["status"] == "rejected" and lines[0]["errors"] == ["grade: must be an integer from 1 to 12, got 0"], lines
        assert lines[1]["status"] == "stored"
        with open(os.path.join(work, "bad.jsonl"), "w") as f: f.write(bad + "\n")
        assert "grade: must be an integer from 1 to 12, got 0" in check(os.path.join(work, "bad.jsonl")).stdout
        # The archive is the store: every other command reads it.
        assert open(archive, encoding="utf-8").read() == lesson(1) + "\n" + lesson(2, teacher="Mr. Brown") + "\n" + lesson(4) + "\n"
        status, body, headers = s.request("GET", "/api/lessons?since=1")
        assert status == 200 and body == lesson(2, teacher="Mr. Brown") + "\n" + lesson(4) + "\n", body
        # Reports, as lessonlens report makes them.
        status, body, _ = s.request("GET", "/")
        assert status == 200 and "王芳老师" in body and "Mr. Brown" in body
        status, body, _ = s.request("GET", "/teacher/" + urllib.parse.quote("王芳老师") + "?lang=zh")
        assert status == 200 and "王芳老师" in body and 'lang="zh-CN"' in body
        status, body, _ = s.request("GET", "/lesson/s-4")
        assert status == 200 and "s-4" in body
        assert s.request("GET", "/lesson/nope")[0] == 404
        status, body, _ = s.request("GET", "/capture")
        assert status == 200 and 'data-server="1"' in body and '"server":true' in body, body[:300]
        # No file outside what the server makes.
        assert s.request("GET", "/../../etc/passwd")[0] == 404
        assert s.request("GET", "/%2e%2e/%2e%2e/etc/passwd")[0] == 404
        # A second server on the same archive is refused.
        second = subprocess.run([BIN, "serve", "--archive", archive, "--port", "0"], capture_output=True, text=True, timeout=30)
        assert second.returncode == 2 and "locked" in second.stderr, second.stderr
        # One log line per request, no content, no query values.
        time.sleep(0.2)
        log = "".join(s.log)
        assert "POST /api/lessons 422" in log and "GET /api/lessons?since 200" in log, log
        assert "s-4\"" not in log
    finally:
        s.stop()
    assert check(archive).returncode == 0

def raw_request(port, text, timeout=10):
    """One request written by hand (urllib always sends its own Host)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
        c.sendall(text.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        return int(data.split(b" ", 2)[1])

@test
def doors_refuse_other_sites():
    archive = os.path.join(work, "doors.jsonl")
    s = Server(archive)
    try:
        one = lesson(1) + "\n"
        # A page of another site: a no-cors fetch can only send text/plain or a form.
        for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
            status, body, _ = s.request("POST", "/api/lessons", one, {"Content-Type": kind})
            assert status == 403 and "Content-Type" in body, (kind, status, body)
        status, body, _ = s.request("POST", "/api/lessons", one, {"Origin": "http://attacker.example"})
        assert status == 403 and "another site" in body, (status, body)
        assert open(archive, encoding="utf-8").read() == "", "nothing stored"
        # Pages may not be framed by another site; HEAD answers like GET without a body.
        status, body, headers = s.request("HEAD", "/")
        assert status == 200 and body == "" and "frame-ancestors 'none'" in headers["Content-Security-Policy"], (status, headers)
        assert s.request("HEAD", "/api/health")[0] == 200
        # Its own origin, and programs that send no Origin, may write.
        assert s.request("POST", "/api/lessons", one, {"Origin": "http://127.0.0.1:%d" % s.port})[0] == 200
        assert s.request("POST", "/api/lessons", lesson(2) + "\n", {"Content-Type": "application/json; charset=utf-8"})[0] == 200
        # DNS rebinding: a request for another host name gets no data.
        assert raw_request(s.port, "GET /api/lessons HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n") == 421
        assert raw_request(s.port, "GET / HTTP/1.1\r\nHost: 127.lan:80\r\nConnection: close\r\n\r\n") == 421
        assert raw_request(s.port, "GET /api/health HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n\r\n" % s.port) == 200
        # since: a whole number, or 400 (never the whole archive by mistake).
        for bad in ("abc", "1e3", "-1", "", "99999999999999999999", "1.0"):
            assert s.request("GET", "/api/lessons?since=" + bad)[0] == 400, bad
        status, body, _ = s.request("GET", "/api/lessons?since=1")
        assert status == 200 and body == lesson(2) + "\n", body
    finally:
        s.stop()
    # A host name is resolved, not judged by its prefix.
    refused = subprocess.run([BIN, "serve", "--archive", archive, "--host", "127.lan", "--port", "0"], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2 and "--token-file" in refused.stderr, refused.stderr

@test
def body_limit_413():
    archive = os.path.join(work, "limit.jsonl")
    s = Server(archive, "--max-body", "2000")
    try:
        big = "\n".join(lesson(i) for i in range(20)) + "\n"
        status, body, _ = s.request("POST", "/api/lessons", big)
        assert status == 413, (status, body)
        assert s.request("POST", "/api/lessons", lesson(1) + "\n")[0] == 200
    finally:
        s.stop()

@test
def token_required_off_loopback_and_checked():
    archive = os.path.join(work, "token.jsonl")
    refused = subprocess.run([BIN, "serve", "--archive", archive, "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2 and "--token-file" in refused.stderr, refused.stderr
    token_file = os.path.join(work, "token")
    token = "a-group-token-0123456789"
    with open(token_file, "w") as f: f.write(token + "\n")
    s = Server(archive, "--token-file", token_file)
    try:
        assert s.request("GET", "/api/health")[0] == 200
        assert s.request("GET", "/api/lessons?since=0")[0] == 401
        assert s.request("POST", "/api/lessons", lesson(1) + "\n")[0] == 401
        assert s.request("GET", "/api/lessons?since=0", headers={"Authorization": "Bearer wrong-token-0123456789"})[0] == 403
        status, body, _ = s.request("GET", "/")
        assert status == 401 and "<form" in body and "s-1" not in body
        good = {"Authorization": "Bearer " + token}
        assert s.request("POST", "/api/lessons", lesson(1) + "\n", headers=good)[0] == 200
        assert s.request("GET", "/api/lessons?since=0", headers=good)[1] == lesson(1) + "\n"
        # The scheme's name in any case (RFC 9110).
        assert s.request("GET", "/api/lessons?since=0", headers={"Authorization": "bearer " + token})[0] == 200
        # The login form sets an HttpOnly, SameSite=Strict cookie.
        req = urllib.request.Request(s.url("/login"), data=("token=" + token).encode(), method="POST")
        opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None}))
        try:
            opener.open(req, timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 303
            cookie = e.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie, cookie
        # The cookie is a random session id, never the token.
        session = cookie.split(";")[0]
        assert session.startswith("lessonlens_session=") and token not in cookie and len(session.split("=")[1]) == 64, cookie
        assert s.request("GET", "/", headers={"Cookie": session})[0] == 200
        assert s.request("GET", "/", headers={"Cookie": "lessonlens_session=" + "0" * 64})[0] == 401
        assert s.request("GET", "/", headers={"Cookie": "lessonlens_token=" + token})[0] == 401
        # A write with the cookie must come from the server's own pages.
        assert s.request("POST", "/api/lessons", lesson(2) + "\n", headers={"Cookie": session})[0] == 403
        own = {"Cookie": session, "Origin": f"http://127.0.0.1:{s.port}"}
        assert s.request("POST", "/api/lessons", lesson(2) + "\n", headers=own)[0] == 200
        # Logging out ends the session.
        try:
            opener.open(urllib.request.Request(s.url("/logout"), data=b"", method="POST", headers={"Cookie": session, "Origin": f"http://127.0.0.1:{s.port}"}), timeout=10)
        except urllib.error.HTTPError as e:
            assert e.code == 303
        assert s.request("GET", "/", headers={"Cookie": session})[0] == 401
        # Guessing is slow: 10 attempts a minute from one address.
        codes = []
        for _ in range(12):
            try:
                opener.open(urllib.request.Request(s.url("/login"), data=b"token=wrong-guess-0123456789", method="POST"), timeout=10)
            except urllib.error.HTTPError as e:
                codes.append(e.code)
        assert codes.count(429) >= 2 and 429 in codes[-2:], codes
        assert token not in "".join(s.log)
    finally:
        s.stop()

@test
def nothing_acknowledged_is_lost_across_sigkill():
    archive = os.path.join(work, "fault.jsonl")
    acknowledged, lock = set(), threading.Lock()
    rng = random.Random(7)
    for round_ in range(3):
        s = Server(archive)
        assert s.port, "".join(s.log)
        stop = threading.Event()
        def client(k):
            n = 0
            while not stop.is_set() and n < 400:
                batch = [f"r{round_}-c{k}-{n + j}" for j in range(rng.randint(1, 5))]
                n += len(batch)
                body = "".join(lesson(0).replace('"s-0"', f'"{i}"') + "\n" for i in batch)
                try:
                    status, text, _ = s.request("POST", "/api/lessons", body, timeout=5)
                except Exception:
                    return
                if status == 200:
                    with lock:
                        acknowledged.update(l["id"] for l in json.loads(text)["lines"] if l["status"] in ("stored", "duplicate"))
        threads = [threading.Thread(target=client, args=(k,)) for k in range(6)]
        for t in threads: t.start()
        time.sleep(rng.uniform(0.2, 1.0))
        s.stop(signal.SIGKILL)
        stop.set()
        for t in threads: t.join(timeout=20)
    # Restart once more: a partial line is moved aside, not kept.
    s = Server(archive)
    try:
        assert s.port
    finally:
        s.stop()
    ids = [json.loads(l)["id"] for l in open(archive, encoding="utf-8") if l.strip()]
    assert len(ids) == len(set(ids)), "every lesson exactly once"
    missing = acknowledged - set(ids)
    assert not missing, f"{len(missing)} acknowledged lessons lost"
    assert len(acknowledged) > 0
    assert open(archive, "rb").read().endswith(b"\n")
    r = check(archive)
    assert r.returncode == 0, r.stdout + r.stderr


@test
def corrections_replace_in_place_and_survive_sigkill():
    archive = os.path.join(work, "revise.jsonl")
    s = Server(archive)
    try:
        assert s.request("POST", "/api/lessons", "\n".join(lesson(i) for i in range(1, 4)) + "\n")[0] == 200
        fixed = lesson(2, reading_end="11:00")
        status, body, _ = s.request("PUT", "/api/lessons/s-2", fixed + "\n")
        assert status == 200 and json.loads(body) == {"id": "s-2", "status": "revised", "revision": 2}, body
        status, body, _ = s.request("PUT", "/api/lessons/s-2", fixed)
        assert status == 200 and json.loads(body) == {"id": "s-2", "status": "unchanged", "revision": 2}, body
        assert s.request("PUT", "/api/lessons/s-9", lesson(9))[0] == 404
        assert s.request("PUT", "/api/lessons/s-2", lesson(3))[0] == 400
        status, body, _ = s.request("PUT", "/api/lessons/s-2", '{"id":"s-2","date":"2026-03-12"}')
        assert status == 422 and "required field is missing" in body, body
        # Every reader sees the corrected lesson only; the earlier one stays readable.
        backup = s.request("GET", "/api/lessons?since=0")[1]
        assert backup.count('"s-2"') == 1 and fixed in backup, backup
        out = subprocess.run([BIN, "metrics", "--format", "json", "-q", archive], capture_output=True, text=True)
        rows = {json.loads(l)["id"]: json.loads(l) for l in out.stdout.splitlines()}
        assert rows["s-2"]["metrics"]["reading_min"] == 11, rows["s-2"]
        status, body, _ = s.request("GET", "/api/lessons/s-2/history")
        assert status == 200 and body == lesson(2) + "\n" + fixed + "\n", body
        assert s.request("GET", "/api/lessons/s-9/history")[0] == 404
        assert "11.0" in s.request("GET", "/lesson/s-2")[1]
    finally:
        s.stop()
    # SIGKILL at any moment of a correction leaves the old or the new version, never neither or both.
    rng = random.Random(5)
    for round in range(12):
        s = Server(archive)
        try:
            new = lesson(1, reading_end=f"{10 + round % 5}:0{round % 10}")
            def put():
                try: s.request("PUT", "/api/lessons/s-1", new, timeout=5)
                except Exception: pass  # the server was killed mid-answer
            t = threading.Thread(target=put, daemon=True)
            t.start()
            time.sleep(rng.random() * 0.02)
            s.stop(signal.SIGKILL)
            t.join(timeout=10)
        finally:
            if s.proc.poll() is None: s.stop(signal.SIGKILL)
        text = open(archive, encoding="utf-8").read()
        lines = [l for l in text.splitlines() if '"s-1"' in l]
        assert len(lines) == 1, (round, lines)
        assert check(archive).returncode == 0, check(archive).stderr
    s = Server(archive)
    try:
        assert not os.path.exists(archive + ".revising")
        versions = s.request("GET", "/api/lessons/s-1/history")[1].splitlines()
        assert versions[-1] in open(archive, encoding="utf-8").read() and len(versions) >= 1, versions
    finally:
        s.stop()

@test
def rosters_for_the_capture_page():
    rosters = os.path.join(work, "classes.csv")
    with open(rosters, "wb") as f:
        f.write("班级,学号,姓名,层次,行,列\r\n3A,S1,张三,上,1,1\r\n3A,S2,李四,,1,2\r\n3B,T1,王五,下,,\r\n".encode("gb18030"))
    s = Server(os.path.join(work, "rosters-archive.jsonl"), "--rosters", rosters)
    try:
        status, body, headers = s.request("GET", "/api/rosters")
        assert status == 200 and headers["Content-Type"].startswith("application/json"), (status, headers)
        assert json.loads(body) == {"classes": [
            {"class": "3A", "students": [{"id": "S1", "tier": "top", "name": "张三", "row": 1, "col": 1},
                                         {"id": "S2", "name": "李四", "row": 1, "col": 2}]},
            {"class": "3B", "students": [{"id": "T1", "tier": "bottom", "name": "王五"}]}]}, body
    finally:
        s.stop()
    # A roster file without a class column cannot serve classes.
    plain = os.path.join(work, "plain.csv")
    with open(plain, "w") as f: f.write("id,tier\nS1,top\n")
    r = subprocess.run([BIN, "serve", "--archive", os.path.join(work, "x.jsonl"), "--rosters", plain, "--port", "0"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "class" in r.stderr, r.stderr

@test
def linked_pages_and_filters():
    archive = os.path.join(work, "linked.jsonl")
    s = Server(archive)
    try:
        lines = [json.dumps({"id": f"k-{i}", "date": f"2026-03-{10 + i:02d}", "teacher": "王芳老师" if i % 2 else "Mr. Li", "subject": "chinese" if i < 4 else "math",
                             "grade": 3, "class": "3A" if i % 3 else "3B", "observer": "陈",
                             "segments": [{"start": "0:00", "end": "12:00", "kind": "read"}]}, ensure_ascii=False) for i in range(1, 7)]
        assert s.request("POST", "/api/lessons", "\n".join(lines) + "\n")[0] == 200
        status, body, _ = s.request("GET", "/")
        assert status == 200 and 'href="/teacher/%E7%8E%8B%E8%8A%B3%E8%80%81%E5%B8%88"' in body, body[:2000]
        assert '<form class="filters"' in body
        status, body, _ = s.request("GET", "/teacher/%E7%8E%8B%E8%8A%B3%E8%80%81%E5%B8%88")
        assert status == 200 and 'href="/lesson/k-1"' in body and 'nav class="crumbs"' in body, body[:2000]
        assert "3A · chinese · 陈" in body or "3A · Chinese · 陈" in body, body[:3000]
        status, body, _ = s.request("GET", "/lesson/k-1")
        assert status == 200 and "<title>2026-03-11 · 3A · 王芳老师 · " in body, body[:800]
        # Filters: the CLI's --where grammar, or the form's fields; links keep them.
        status, body, _ = s.request("GET", "/teacher/%E7%8E%8B%E8%8A%B3%E8%80%81%E5%B8%88?where=subject%3Dmath")
        assert status == 200 and 'href="/lesson/k-5?where=subject%3Dmath"' in body and "k-1" not in body, body[:3000]
        status, body, _ = s.request("GET", "/?subject=chinese&from=2026-03-12")
        assert status == 200 and 'value="chinese"' in body and 'href="/teacher/Mr.%20Li?subject=chinese&amp;from=2026-03-12"' in body, body[:3000]
        assert s.request("GET", "/?where=colour%3Dred")[0] == 400
        status, body, _ = s.request("GET", "/brief?subject=chinese")
        assert status == 200 and "Lesson observation brief" in body and "subject=chinese" in body, body[:1500]
        assert s.request("GET", "/?from=2026-02-30")[0] == 400
        # A reflected query cannot break out of its attribute.
        status, body, _ = s.request("GET", '/homework?lang=%22%3E%3Cscript%3E')
        assert "<script>" not in body
    finally:
        s.stop()

@test
def https_with_a_certificate_the_test_makes():
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    token_file = os.path.join(work, "tls-token")
    with open(token_file, "w") as f: f.write("tls-token-0123456789abcdef")
    proc = subprocess.Popen([BIN, "serve", "--archive", os.path.join(work, "tls.jsonl"), "--port", "0", "--tls-cert", cert, "--tls-key", key,
                             "--token-file", token_file], stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for _ in range(50):
            line = proc.stderr.readline()
            if "serving" in line:
                assert "https://" in line, line
                port = line.rsplit(":", 1)[1].strip("/\n"); break
        assert port
        import ssl
        context = ssl.create_default_context(cafile=cert)
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/api/health", context=context, timeout=10) as r:
            assert r.status == 200 and json.loads(r.read())["status"] == "ok"
        # Plain http to the https port is not answered with data.
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5).read()
            raise AssertionError("http answered on the https port")
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        # The session cookie is Secure under TLS.
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                             type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None}))
        try:
            opener.open(urllib.request.Request(f"https://127.0.0.1:{port}/login", data=b"token=tls-token-0123456789abcdef", method="POST"), timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 303 and "Secure" in e.headers["Set-Cookie"], e.headers["Set-Cookie"]
    finally:
        proc.terminate(); proc.wait(timeout=10)
    half = subprocess.run([BIN, "serve", "--archive", os.path.join(work, "tls2.jsonl"), "--tls-cert", cert], capture_output=True, text=True, timeout=30)
    assert half.returncode == 2 and "--tls-key" in half.stderr, half.stderr

def assignment(i, cls="3A", minutes=20, **extra):
    a = {"id": f"h-{i}", "date": "2026-09-07", "class": cls, "subject": "语文", "teacher": "王丽", "grade": 3,
         "where": "home", "kind": "written", "estimated_min": minutes, "published": True}
    a.update(extra)
    return json.dumps(a, ensure_ascii=False, separators=(",", ":"))

@test
def homework_ledger_posts_pages_and_board():
    archive = os.path.join(work, "hw-lessons.jsonl")
    ledger = os.path.join(work, "hw-ledger.jsonl")
    token_file = os.path.join(work, "hw-token")
    token = "homework-token-0123456789"
    with open(token_file, "w") as f: f.write(token)
    good = {"Authorization": "Bearer " + token}
    s = Server(archive, "--homework", ledger, "--token-file", token_file)
    try:
        status, body, _ = s.request("POST", "/api/homework", assignment(1) + "\n" + assignment(2, minutes=45) + "\n", headers=good)
        assert status == 200, body
        assert [l["status"] for l in json.loads(body)["lines"]] == ["stored", "stored"], body
        # The same line again is a duplicate; other bytes under the same id a conflict; a broken line rejected.
        status, body, _ = s.request("POST", "/api/homework", assignment(1) + "\n", headers=good)
        assert status == 200 and json.loads(body)["lines"][0]["status"] == "duplicate", body
        status, body, _ = s.request("POST", "/api/homework", assignment(1, minutes=30) + "\n", headers=good)
        assert status == 409 and json.loads(body)["lines"][0]["status"] == "conflict", body
        status, body, _ = s.request("POST", "/api/homework", '{"id":"h-9","date":"2026-09-07"}\n', headers=good)
        assert status == 422 and "class: required field is missing" in body, body
        # Acknowledged means on disk, and `lessonlens homework` reads the file.
        out = subprocess.run([BIN, "homework", "--format", "json", "-q", ledger], capture_output=True, text=True)
        day = json.loads(out.stdout)["groups"][0]
        assert out.returncode == 0 and day["daily_written_home_min"]["max"] == 65 and day["days_over_limit"]["met"] == 1, out.stdout
        assert json.loads(s.request("GET", "/api/health")[1])["assignments"] == 2
        # Pages: the token as for lessons; the board has no student data.
        assert s.request("GET", "/homework")[0] == 401
        assert 'href="/homework"' in s.request("GET", "/", headers=good)[1]
        status, body, _ = s.request("GET", "/homework?lang=zh", headers=good)
        assert status == 200 and "作业统筹" in body and "65 ▲" in body, body[:500]
        status, body, _ = s.request("GET", "/board/3A?week=2026-W37", headers=good)
        assert status == 200 and "65 ▲" in body and "h-1" not in body, body[:500]
        assert s.request("GET", "/board/9Z", headers=good)[0] == 404
        assert s.request("GET", "/board/3A?week=2026-37", headers=good)[0] == 400
        assert s.request("GET", "/board/3A?week=2026-W37")[0] == 401
    finally:
        s.stop()
    # --public-board: the board without the token, nothing else.
    s = Server(archive, "--homework", ledger, "--token-file", token_file, "--public-board")
    try:
        assert s.request("GET", "/board/3A?week=2026-W37")[0] == 200
        assert s.request("GET", "/homework")[0] == 401
        assert s.request("POST", "/api/homework", assignment(3) + "\n")[0] == 401
    finally:
        s.stop()
    # Without --homework there is no ledger to post to.
    s = Server(os.path.join(work, "hw-none.jsonl"))
    try:
        assert s.request("POST", "/api/homework", assignment(4) + "\n")[0] == 404
    finally:
        s.stop()

failed = [r for r in results if r[1]]
for name, error in results:
    print(("ok   " if not error else "FAIL ") + name)
    if error: print(error)
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
