#!/usr/bin/env bash
# Fleet mode throughput: JOBS scan jobs (distinct targets: hard links of the
# three images tests/integration/fleet_tools.py builds, so every job is a
# real job and the layers repeat) through `serve` + 1, 2 and 4 workers on a
# private PostgreSQL 15 (temp dir, loopback, stopped by pg_ctl at the end).
# Per worker count, a fresh database: jobs/min, p50/p95 job latency (claim to
# done, from the scans table; all jobs are queued first), layer hit rate (layers taken from the shared
# table / layers needed) and PostgreSQL transactions per job (every
# autocommit statement is one; pg_stat_database).
#
#   bench/fleet.sh [DRYDOCK] [JOBS]        (default build/drydock, 200; needs root for runuser)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DRYDOCK=$(realpath "${1:-$ROOT/build/drydock}")
JOBS=${2:-200}
PY=/usr/bin/python3
TOOLS=("$PY" "$ROOT/tests/integration/fleet_tools.py")
PGBIN=/usr/lib/postgresql/15/bin
[[ -x $PGBIN/initdb ]] || { echo "bench/fleet: postgresql-15 not installed (scripts/deps --test)" >&2; exit 2; }
W=$(mktemp -d)
chmod 755 "$W"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg/data" -w -m fast stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/pg" "$W/images" && chown postgres "$W/pg"
"${TOOLS[@]}" images "$W/images" 17
for i in $(seq "$JOBS"); do
  t=$(printf 'a\nb\nc\n' | sed -n "$((i % 3 + 1))p")
  ln "$W/images/$t.tar" "$W/images/job$i.tar"
done
PGPORT=$("${TOOLS[@]}" free-port)
runuser -u postgres -- "$PGBIN/initdb" -D "$W/pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg/data" -w -l "$W/pg/log" \
  -o "-k $W/pg -p $PGPORT -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
q() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -XAtqc "$2"; }
printf '%-8s %9s %9s %9s %10s %10s\n' workers jobs/min p50_s p95_s layer_hit tx/job
for n in 1 2 4; do
  q postgres "DROP DATABASE IF EXISTS fleet$n" >/dev/null 2>&1
  q postgres "CREATE DATABASE fleet$n" >/dev/null
  DB="postgresql://postgres@127.0.0.1:$PGPORT/fleet$n"
  PORT=$("${TOOLS[@]}" free-port)
  "$DRYDOCK" serve --listen "127.0.0.1:$PORT" --database "$DB" --no-auth --allow-targets "path:$W/images" \
    2>"$W/serve$n.log" &
  SERVE=$!
  PIDS+=("$SERVE")
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  tx0=$(q postgres "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'fleet$n'")
  for i in $(seq "$JOBS"); do
    curl -fsS -d "{\"target\":\"$W/images/job$i.tar\",\"options\":{\"scanners\":[\"misconfig\",\"secret\"]}}" \
      "http://127.0.0.1:$PORT/v1/scans" >/dev/null
  done
  WP=()
  for w in $(seq "$n"); do
    "$DRYDOCK" --cache-dir "$W/wc$n-$w" worker --database "$DB" --name "w$w" 2>"$W/worker$n-$w.log" &
    WP+=($!)
    PIDS+=($!)
  done
  while [[ $(q "fleet$n" "SELECT count(*) FROM scans WHERE status IN ('queued','running')") != 0 ]]; do sleep 0.2; done
  for p in "${WP[@]}" "$SERVE"; do kill "$p"; wait "$p" 2>/dev/null || true; done
  tx1=$(q postgres "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'fleet$n'")
  # Latency: claim to done per job; jobs/min over the batch (workers start once every job is queued).
  q "fleet$n" "WITH t AS (SELECT extract(epoch FROM finished_at - started_at) AS d,
                          finished_at FROM scans WHERE status = 'done')
               SELECT round((count(*) * 60 / extract(epoch FROM max(finished_at) - (SELECT min(started_at) FROM scans)))::numeric, 1),
                      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2),
                      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d)::numeric, 2),
                      (SELECT round(sum(layers_shared)::numeric / nullif(sum(layers_shared + layers_read), 0), 3) FROM scans),
                      (SELECT count(*) FROM scans WHERE status <> 'done') FROM t" |
    while IFS='|' read -r jpm p50 p95 hit notdone; do
      [[ $notdone == 0 ]] || echo "bench/fleet: $notdone job(s) not done" >&2
      printf '%-8s %9s %9s %9s %10s %10s\n' "$n" "$jpm" "$p50" "$p95" "$hit" "$(((tx1 - tx0) / JOBS))"
    done
done
