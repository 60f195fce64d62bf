# shellcheck shell=bash
# A private Docker daemon for tests, the demo and the benchmark: its own data
# root, exec root and socket in a temp dir, vfs storage, no iptables, no bridge.
# It never touches a system daemon, and it is stopped by the pid it wrote.
#
#   source scripts/lib/dockerd.sh
#   dd_start || handle_failure      # sets DD_DIR, DOCKER_HOST (exported), DOCKER_CLI
#   trap dd_stop EXIT
#
# dd_start returns non-zero (with the reason in DD_WHY) when no daemon can run.

# The Debian docker.io client matches the Debian daemon's API; fall back to any.
if [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=docker; fi
DD_DIR=""
DD_PID=""
DD_WHY=""

dd_start() {
  DD_WHY=""
  if ! command -v dockerd >/dev/null 2>&1; then
    DD_WHY="dockerd not installed (scripts/deps --test installs docker.io)"
    return 1
  fi
  if (( EUID != 0 )); then
    DD_WHY="a private dockerd needs root"
    return 1
  fi
  # Short path: containerd's socket lives under the exec root (108-byte limit).
  DD_DIR=$(mktemp -d /tmp/drydock-dockerd.XXXXXX)
  dockerd --data-root "$DD_DIR/root" --exec-root "$DD_DIR/exec" \
    -H "unix://$DD_DIR/docker.sock" --pidfile "$DD_DIR/pid" \
    --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    </dev/null >"$DD_DIR/log" 2>&1 &
  DD_PID=$!
  local i
  for ((i = 0; i < 120; i++)); do
    if "$DOCKER_CLI" -H "unix://$DD_DIR/docker.sock" info >/dev/null 2>&1; then
      export DOCKER_HOST="unix://$DD_DIR/docker.sock"
      [[ -s "$DD_DIR/pid" ]] && DD_PID=$(<"$DD_DIR/pid")
      return 0
    fi
    if ! kill -0 "$DD_PID" 2>/dev/null; then
      DD_WHY="dockerd exited: $(grep -E 'level=(error|fatal)|failed' "$DD_DIR/log" | tail -1 | cut -c1-300)"
      [[ -n "$DD_WHY" ]] || DD_WHY="dockerd exited (see its log)"
      return 1
    fi
    sleep 0.5
  done
  DD_WHY="dockerd did not answer on its socket within 60 s"
  return 1
}

# Stops the daemon this shell started, then its containerd if it outlived it,
# unmounts what it left under its dir and removes the dir.
dd_stop() {
  [[ -n "$DD_DIR" ]] || return 0
  local pid="$DD_PID" cpid="" i
  [[ -s "$DD_DIR/pid" ]] && pid=$(<"$DD_DIR/pid")
  [[ -s "$DD_DIR/exec/containerd/containerd.pid" ]] && cpid=$(<"$DD_DIR/exec/containerd/containerd.pid")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  if [[ -n "$cpid" ]] && kill -0 "$cpid" 2>/dev/null; then
    kill -TERM "$cpid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$cpid" 2>/dev/null && kill -KILL "$cpid" 2>/dev/null
  fi
  wait "$DD_PID" 2>/dev/null || true
  local m
  # Deepest mounts first.
  while read -r m; do
    [[ -n "$m" ]] && umount -l "$m" 2>/dev/null
  done < <(findmnt -rn -o TARGET 2>/dev/null | grep -F "$DD_DIR/" | sort -r)
  rm -rf "$DD_DIR" 2>/dev/null || true
  DD_DIR=""
  unset DOCKER_HOST
}
