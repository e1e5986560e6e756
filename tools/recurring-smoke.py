#!/usr/bin/env python3
# Recurring actions on ./mandate serve: N actions due in the same minute, each must run exactly once.
# Usage: python3 tools/recurring-smoke.py N   (serve on port 18411 with the smoke app; see docs/benchmarks.md)
import base64, json, sys, time, urllib.request, concurrent.futures, datetime
BASE = "http://127.0.0.1:18411"; APP = "smokeapp0000000000000001"; SECRET = "privy_app_secret_smoke"
AUTH = "Basic " + base64.b64encode(f"{APP}:{SECRET}".encode()).decode()
N = int(sys.argv[1])
def call(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"authorization": AUTH, "privy-app-id": APP, "content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())
wallets = [call("POST", "/v1/wallets", {"chain_type": "ethereum"})["id"] for _ in range(20)]
now = datetime.datetime.now(datetime.timezone.utc)
due = (now + datetime.timedelta(minutes=3)).replace(second=0, microsecond=0)
cron = f"cron({due.minute} {due.hour} * * ? *)"
t0 = time.time()
def create(i):
    return call("POST", "/v1/recurring_actions", {"wallet_id": wallets[i % 20], "schedule": cron, "max_runs": 1,
        "request": {"method": "personal_sign", "params": {"message": f"smoke {i}", "encoding": "utf-8"}}})["id"]
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    ids = list(pool.map(create, range(N)))
print(f"created {N} actions ({cron}) in {time.time()-t0:.1f}s; due at {due.isoformat()}", flush=True)
def states():
    out, cursor = {}, None
    while True:
        page = call("GET", "/v1/recurring_actions" + (f"?cursor={cursor}" if cursor else ""))
        for a in page["data"]: out[a["id"]] = (a["runs"], a["status"])
        cursor = page.get("next_cursor")
        if not cursor: return out
while True:
    s = states(); done = sum(1 for i in ids if s.get(i) == (1, "completed"))
    t = datetime.datetime.now(datetime.timezone.utc)
    print(f"{t.isoformat()} completed {done}/{N}", flush=True)
    if done == N or (t - due).total_seconds() > 420: break
    time.sleep(10)
def runs(i): return call("GET", f"/v1/recurring_actions/{i}/runs")["data"]
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    rs = list(pool.map(runs, ids))
once = sum(1 for r in rs if len(r) == 1 and r[0]["outcome"] == "succeeded")
last = max(r[0]["finished_at"] for r in rs if r)
print(f"exactly once: {once}/{N}; last run finished {(last/1000 - due.timestamp()):.1f}s after the due time", flush=True)
