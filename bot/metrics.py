"""Prometheus metrics of one process, served on the web server's /metrics."""

from prometheus_client import Counter, Gauge, Histogram

# The key under which a middleware tells the metrics middleware how an update ended.
OUTCOME = "update_outcome"

UPDATES = Counter(
    "gridbot_updates_total",
    "Updates taken, by type and outcome (handled, duplicate, failed, deferred).",
    ["type", "outcome"],
)
UPDATE_SECONDS = Histogram(
    "gridbot_update_seconds",
    "Time from taking an update to its committed answer, by update type.",
    ["type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PENDING = Gauge("gridbot_outbox_pending", "Outbox rows waiting to be sent.")
OUTBOX_SENDS = Counter(
    "gridbot_outbox_sends_total",
    "Outbox rows settled by this process, by result (sent, failed, retry).",
    ["result"],
)
RATE_LIMITED = Counter("gridbot_telegram_429_total", "429 Too Many Requests answers received.")
JOB_RUNS = Counter(
    "gridbot_job_runs_total", "Scheduled job runs by this process, by job and result.",
    ["job", "result"],
)
