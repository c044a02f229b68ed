"""Prints every query of the Grafana dashboard as a Prometheus recording rule, so that promtool
can check the PromQL: python3 deploy/validate/dashboard-queries.py > /tmp/q.yaml && promtool check rules /tmp/q.yaml"""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "deploy/grafana/pgfleet-dashboard.json"
dashboard = json.load(open(path))
print("groups:\n  - name: dashboard-queries\n    rules:")
n = 0
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        n += 1
        print(f"      - record: dashboard_query_{n}\n        expr: {json.dumps(target['expr'])}")
