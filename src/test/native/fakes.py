"""Fake scheduling systems for the native smoke suite: a FHIR R4 Appointment API and a JSON one, both changed
through /control. Loopback only; python3 standard library only.
Usage: python3 fakes.py PORT"""
import json, sys, threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

lock = threading.Lock()
fhir, items = {}, {}
clock = [datetime(2026, 12, 1, tzinfo=timezone.utc)]
START = datetime(2027, 3, 1, 9, tzinfo=timezone.utc)


def tick():
    clock[0] += timedelta(seconds=1)
    return clock[0].isoformat().replace("+00:00", "Z")


def appointment(a):
    return {"resourceType": "Appointment", "id": a["id"], "meta": {"versionId": str(a["v"]), "lastUpdated": a["at"]},
            "status": a["status"], "start": a["start"], "end": a["end"],
            "participant": [{"actor": {"reference": "Practitioner/dr-1"}, "status": "accepted"},
                            {"actor": {"reference": "Patient/p-1"}, "status": "accepted"}]}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, kind="application/fhir+json"):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        parts = urlparse(self.path).path.strip("/").split("/")  # control/<fhir|json>/<op>/<id>
        with lock:
            kind, op, id_ = parts[1], parts[2], parts[3]
            store = fhir if kind == "fhir" else items
            a = store.get(id_, {"id": id_, "v": 0, "status": "booked", "start": START.isoformat().replace("+00:00", "Z"),
                                "end": (START + timedelta(minutes=30)).isoformat().replace("+00:00", "Z")})
            if op == "move":
                start = datetime.fromisoformat(a["start"].replace("Z", "+00:00")) + timedelta(hours=1)
                a["start"] = start.isoformat().replace("+00:00", "Z")
                a["end"] = (start + timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
            elif op == "cancel":
                a["status"] = "cancelled"
            a["v"] += 1
            a["at"] = tick()
            store[id_] = a
        self.send(200, {"ok": True}, "application/json")

    def do_GET(self):
        url = urlparse(self.path)
        with lock:
            if url.path == "/fhir/Appointment":
                entries = [{"resource": appointment(a)} for a in sorted(fhir.values(), key=lambda a: a["at"])]
                self.send(200, {"resourceType": "Bundle", "type": "searchset", "total": len(entries),
                                "meta": {"lastUpdated": clock[0].isoformat().replace("+00:00", "Z")},
                                "link": [{"relation": "self", "url": "http://127.0.0.1/fhir/Appointment?_sort=_lastUpdated"}],
                                "entry": entries})
            elif url.path.startswith("/fhir/Appointment/"):
                a = fhir.get(url.path.rsplit("/", 1)[1])
                self.send(200 if a else 404, appointment(a) if a else {"resourceType": "OperationOutcome"})
            elif url.path == "/json/appointments":
                self.send(200, {"data": [{"id": a["id"], "state": a["status"], "starts_at": a["start"],
                                          "ends_at": a["end"], "updated_at": a["at"]} for a in items.values()]},
                          "application/json")
            else:
                self.send(404, {"error": "no such path"}, "application/json")


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
