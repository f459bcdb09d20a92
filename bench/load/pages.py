#!/usr/bin/env python3
"""Page speed of the web interface (issue 19), run by `bench/load.sh --pages` on the seeded 10,000-case database.

Signs each bench user (samordnare, polis) in to the web the way a person does: e-mail and password on /logga-in, then
a code from the authenticator app. The seeded demo users have no authenticator yet, so the bench enrols one first
through the API (/api/auth/2fa/setup and /enable, with the password) and so knows the secret. The replay guard takes
one code per user per 30-second step and accepts the steps either side of now: the enrolment, the web sign-in and the
API sign-in each use the next unused step (now - 1, now, now + 1), so nothing waits. Each user signs in once and
reuses the cookie (and the bearer token) for every request.

Then, per user, in one run: GET /arenden (the case list, first page), GET /arenden/{id} (the case page) and
GET /api/cases/{id} (the API read of the same case, same user), plus GET /api/cases (the API's list, same default
page) — first sequentially (one request at a time, the kinds interleaved per case id so that they share the
machine's state), then at moderate concurrency (--concurrency threads, each with its own keep-alive connection).
Latency is measured at the client on loopback: an upper bound of the server's rendering time.
Writes the markdown section to --out.
"""
import argparse, base64, hashlib, hmac, http.client, json, os, re, statistics, struct, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
p.add_argument("--ids", required=True, help="folder of the seed's id lists (cases.txt, police-cases.txt)")
p.add_argument("--out", required=True)
p.add_argument("--requests", type=int, default=200, help="sequential requests per kind and user")
p.add_argument("--concurrency", type=int, default=8)
p.add_argument("--concurrent-requests", type=int, default=400, help="requests per kind and user at --concurrency")
p.add_argument("--password", default="Sspf-demo-2026!")
p.add_argument("--commit", default="")
args = p.parse_args()
target = urllib.parse.urlsplit(args.url)


def connect():
    return http.client.HTTPConnection(target.hostname, target.port, timeout=60)


def request(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.getheaders(), r.read()


def totp(secret, step):
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    h = hmac.new(key, struct.pack(">q", step), hashlib.sha1).digest()
    o = h[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000)


class User:
    def __init__(self, email):
        self.email, self.secret, self.last_step, self.cookies, self.token = email, None, None, {}, None

    def code(self):
        """The next step the replay guard has not seen, within the one-step drift either side of now."""
        now = int(time.time()) // 30
        step = now - 1 if self.last_step is None else max(self.last_step + 1, now - 1)
        while step > int(time.time()) // 30 + 1:
            time.sleep(1)
        self.last_step = step
        return totp(self.secret, step)

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def keep_cookies(self, headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                k, v = value.split(";", 1)[0].split("=", 1)
                self.cookies[k] = v


def api_json(conn, path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    status, _, data = request(conn, "POST", path, headers, json.dumps(body))
    if status != 200:
        raise SystemExit(f"POST {path} as {body.get('email', '')}: HTTP {status} {data[:300]!r}")
    return json.loads(data)


def connect_token(conn, email, code=None):
    """An OpenIddict reference token from the Development password grant (the app's only token endpoint)."""
    form = {"grant_type": "password", "client_id": "sspf-dev", "scope": "sspf_api", "username": email, "password": args.password}
    if code:
        form["two_factor_code"] = code
    status, _, data = request(conn, "POST", "/connect/token", {"content-type": "application/x-www-form-urlencoded"}, urllib.parse.urlencode(form))
    if status != 200:
        raise SystemExit(f"POST /connect/token as {email}: HTTP {status} {data[:300]!r}")
    return json.loads(data)["access_token"]


def form_token(html):
    m = re.search(rb'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', html)
    return m.group(1).decode() if m else None


def sign_in(email):
    u, c = User(email), connect()
    # Enrol an authenticator (the seeded users have none): the bench then knows the secret, as a person's app does.
    token = connect_token(c, email)
    uri = api_json(c, "/api/auth/2fa/setup", {"currentPassword": args.password}, token)["authenticatorUri"]
    u.secret = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)["secret"][0]
    api_json(c, "/api/auth/2fa/enable", {"currentPassword": args.password, "code": u.code()}, token)
    # The web: e-mail and password, then the code (the form's antiforgery token and cookie each time).
    status, headers, html = request(c, "GET", "/logga-in")
    u.keep_cookies(headers)
    form = {"Email": email, "Password": args.password, "__RequestVerificationToken": form_token(html)}
    status, headers, html = request(c, "POST", "/logga-in", {"content-type": "application/x-www-form-urlencoded",
                                                              "cookie": u.cookie_header()}, urllib.parse.urlencode(form))
    u.keep_cookies(headers)
    pending = re.search(rb'name="Pending" value="([^"]+)"', html) or re.search(rb'value="([^"]+)"[^>]*name="Pending"', html)
    if status != 200 or not pending:
        raise SystemExit(f"/logga-in (password) as {email}: HTTP {status}, no second step")
    form = {"Pending": pending.group(1).decode(), "Code": u.code(), "__RequestVerificationToken": form_token(html)}
    status, headers, _ = request(c, "POST", "/logga-in", {"content-type": "application/x-www-form-urlencoded",
                                                         "cookie": u.cookie_header()}, urllib.parse.urlencode(form))
    u.keep_cookies(headers)
    if status != 302:
        raise SystemExit(f"/logga-in (code) as {email}: HTTP {status}")
    # The API: the same person, password and the next code (enabling ended the earlier token's session).
    u.token = connect_token(c, email, u.code())
    c.close()
    return u


KINDS = [  # name, path of a case id (None: the list), through the web cookie or the API token
    ("page: case list GET /arenden", None, "web"),
    ("page: case GET /arenden/{id}", "/arenden/{}", "web"),
    ("API: case GET /api/cases/{id}", "/api/cases/{}", "api"),
    ("API: list GET /api/cases", None, "api"),
]


def get(conn, user, kind, case_id):
    name, template, door = kind
    path = template.format(case_id) if template else ("/arenden" if door == "web" else "/api/cases")
    headers = {"cookie": user.cookie_header()} if door == "web" else {"authorization": "Bearer " + user.token}
    t = time.perf_counter()
    status, _, body = request(conn, "GET", path, headers)
    ms = (time.perf_counter() - t) * 1000
    if status != 200 or (door == "web" and b"Logga ut" not in body):
        raise SystemExit(f"{user.email} {path}: HTTP {status} {body[:300]!r}")
    return ms


def run(user, ids, n, threads):
    """n requests of each kind, the kinds interleaved per case id (rotated, so none always goes first)."""
    times = {k[0]: [] for k in KINDS}
    lock = threading.Lock()
    counter = iter(range(n))

    def worker():
        conn = connect()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            case_id = ids[i % len(ids)]
            for j in range(len(KINDS)):
                kind = KINDS[(i + j) % len(KINDS)]
                ms = get(conn, user, kind, case_id)
                with lock:
                    times[kind[0]].append(ms)
        conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return times, time.perf_counter() - started


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


users = [("samordnare", "samordnare@falkenberg.example", "cases.txt"), ("polis (member, consent covers the police)", "polis@falkenberg.example", "police-cases.txt")]
signed = {email: sign_in(email) for _, email, _ in users}
load_before = open("/proc/loadavg").read().split()[:3]
rows = []
for label, email, idfile in users:
    ids = [line.strip() for line in open(os.path.join(args.ids, idfile)) if line.strip()]
    run(signed[email], ids[-50:], 50, 1)  # warm-up on other cases than the measured ones
    for mode, n, threads in (("sequential", args.requests, 1), (f"{args.concurrency} concurrent", args.concurrent_requests, args.concurrency)):
        times, elapsed = run(signed[email], ids, n, threads)
        api_case = statistics.median(times[KINDS[2][0]])
        for name, *_ in KINDS:
            xs = times[name]
            rows.append((label, mode, name, len(xs), statistics.median(xs), pct(xs, 0.95), statistics.median(xs) / api_case))
        print(f"  {label}, {mode}: " + ", ".join(f"{k[0].split(' GET')[0]} {statistics.median(times[k[0]]):.1f} ms" for k in KINDS), flush=True)
load_after = open("/proc/loadavg").read().split()[:3]

lines = [
    "| user | run | request | n | median ms | p95 ms | median / API case read |",
    "|---|---|---|---:|---:|---:|---:|",
] + [f"| {u} | {m} | {k} | {n} | {med:.1f} | {p95:.1f} | {r:.2f} |" for u, m, k, n, med, p95, r in rows]
verdict = []
for label, mode, name, _, med, _, _ in rows:
    if name.startswith("page") and med >= 50:
        verdict.append(f"{label}, {mode}: {name} median {med:.1f} ms is NOT under 50 ms")
header = [
    f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, commit {args.commit or '?'}, "
    f"load average {' '.join(load_before)} before and {' '.join(load_after)} after the measurement.",
    "",
    "Target (issue 19): the case page and the case list render server-side in under 50 ms median: "
    + ("**met in every row of this run**." if not verdict else "**not met**: " + "; ".join(verdict) + "."),
    "",
]
# Only the generated block of the results file is replaced: the findings written around it stay.
begin, end = "<!-- generated by bench/load.sh --pages -->", "<!-- end of generated block -->"
block = begin + "\n" + "\n".join(header + lines) + "\n" + end
text = open(args.out).read() if os.path.exists(args.out) else f"# Page speed (issue 19)\n\n{begin}\n{end}\n"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text += "\n" + block + "\n"
with open(args.out, "w") as f:
    f.write(text)
print("\n".join(header + lines))
