#!/usr/bin/env python3
"""Independent checks of a probed role against a live `secperm simulate` over TLS, for
Tests/secpermTests/ProbeLiveTests.swift. Written apart from secperm's client on purpose: it parses
the console file, speaks HTTPS with Python's ssl module and reads denials on its own.

  live_check.py state URL PREFIX CA CERT KEY
      prints {"internalusers":…, "roles":…, "rolesmapping":…} as the admin certificate sees them.
  live_check.py replay URL PREFIX CA CERT KEY ROLE.json REQUESTS.txt [--leave-one-out]
      creates a fresh user, a role with ROLE.json's grants and its mapping (as the admin), replays
      every request not tagged `# expect: deny` as that user, and prints
      {"failures": [line…], "needless": [grant…]}: the lines denied with the full role, and (with
      --leave-one-out, run before the full replay) every single grant whose removal still lets
      every request through. The fresh user, role and mapping are removed at the end.
"""
import base64
import http.client
import json
import re
import ssl
import sys
import urllib.parse

USER, ROLE, PASSWORD = "secperm-fresh", "secperm_fresh", "Fresh-pass-123!x"
METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH")


class Client:
    def __init__(self, url, ca, cert=None, key=None, user=None, password=None):
        parsed = urllib.parse.urlparse(url)
        context = ssl.create_default_context(cafile=ca)
        if cert:
            context.load_cert_chain(cert, key)
        self.connection = http.client.HTTPSConnection(parsed.hostname, parsed.port, context=context, timeout=30)
        self.auth = None
        if user:
            self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def send(self, method, path, body=None, content_type="application/json"):
        headers = {}
        if self.auth:
            headers["Authorization"] = self.auth
        if body is not None:
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=body.encode() if body is not None else None, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()


def requests_of(path):
    """(line, method, target, body, content_type, expect_deny) for every request in a console file."""
    result, comments, current = [], [], None
    for number, raw in enumerate(open(path, encoding="utf-8").read().split("\n"), start=1):
        line = raw.rstrip()
        match = re.match(r"^(%s)\s+(\S+)\s*$" % "|".join(METHODS), line)
        if match:
            current = {"line": number, "method": match.group(1), "target": match.group(2), "body": [],
                       "deny": any(re.match(r"#\s*expect:\s*deny", c, re.I) for c in comments)}
            result.append(current)
            comments = []
        elif line.startswith("#"):
            comments.append(line)
        elif not line.strip():
            current, comments = None, []
        elif current is not None:
            current["body"].append(line)
    out = []
    for item in result:
        target = item["target"] if item["target"].startswith("/") else "/" + item["target"]
        path = target.split("?")[0]
        ndjson = path.endswith("/_bulk") or path.endswith("/_msearch")
        body = None
        if item["body"]:
            body = "\n".join(item["body"]) + ("\n" if ndjson else "")
        out.append((item["line"], item["method"], target, body, "application/x-ndjson" if ndjson else "application/json", item["deny"]))
    return out


def denied(status, body):
    """Authorization failed: a 401/403, or item denials inside a 200 (bulk, msearch, mget)."""
    if status in (401, 403):
        return True
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    for item in data.get("items", []):
        for result in item.values():
            if result.get("status") == 403:
                return True
    for response in data.get("responses", []):
        if response.get("status") == 403:
            return True
    for doc in data.get("docs", []):
        if (doc.get("error") or {}).get("type") == "security_exception":
            return True
    return False


def admin_call(admin, method, path, document):
    status, body = admin.send(method, path, json.dumps(document))
    if status >= 300:
        raise SystemExit(f"{method} {path}: {status} {body.decode(errors='replace')}")


def grants_of(role):
    singles = [("cluster", None, action) for action in role.get("cluster_permissions", [])]
    for entry in role.get("index_permissions", []):
        for pattern in entry["index_patterns"]:
            for action in entry["allowed_actions"]:
                singles.append(("index", pattern, action))
    return singles


def role_without(role, single):
    level, pattern, action = single
    copy = {"cluster_permissions": [a for a in role.get("cluster_permissions", []) if level != "cluster" or a != action],
            "index_permissions": []}
    for entry in role.get("index_permissions", []):
        for each in entry["index_patterns"]:
            actions = [a for a in entry["allowed_actions"] if not (level == "index" and each == pattern and a == action)]
            if actions:
                copy["index_permissions"].append({"index_patterns": [each], "allowed_actions": actions})
    return copy


def replay(user, requests, stop_at_first=False):
    failures = []
    for line, method, target, body, content_type, deny in requests:
        if deny:
            continue
        status, answer = user.send(method, target, body, content_type)
        if denied(status, answer):
            failures.append(line)
            if stop_at_first:
                break
    return failures


def main(argv):
    mode, url, prefix, ca, cert, key = argv[1:7]
    admin = Client(url, ca, cert, key)
    if mode == "state":
        state = {}
        for kind in ("internalusers", "roles", "rolesmapping"):
            status, body = admin.send("GET", f"{prefix}/api/{kind}")
            state[kind] = [status, json.loads(body)]
        print(json.dumps(state, sort_keys=True))
        return
    role, requests = json.load(open(argv[7])), requests_of(argv[8])
    api = f"{prefix}/api"
    admin_call(admin, "PUT", f"{api}/internalusers/{USER}", {"password": PASSWORD, "backend_roles": []})
    admin_call(admin, "PUT", f"{api}/roles/{ROLE}", {"cluster_permissions": [], "index_permissions": []})
    admin_call(admin, "PUT", f"{api}/rolesmapping/{ROLE}", {"users": [USER]})
    user = Client(url, ca, user=USER, password=PASSWORD)
    try:
        needless = []
        if "--leave-one-out" in argv:
            for single in grants_of(role):
                admin_call(admin, "PUT", f"{api}/roles/{ROLE}", role_without(role, single))
                if not replay(user, requests, stop_at_first=True):
                    needless.append(" ".join(part for part in single if part))
        admin_call(admin, "PUT", f"{api}/roles/{ROLE}", role)
        failures = replay(user, requests)
        print(json.dumps({"failures": failures, "needless": needless}))
    finally:
        for path in (f"{api}/rolesmapping/{ROLE}", f"{api}/roles/{ROLE}", f"{api}/internalusers/{USER}"):
            admin.send("DELETE", path)


if __name__ == "__main__":
    main(sys.argv)
