#!/bin/sh
# Starts the shipped unit under a real systemd (PID 1 of new pid, mount, uts, ipc and network
# namespaces, in a chroot on a throwaway overlay of /), and checks what only systemd can show:
# the sandbox lets the daemon start, /metrics answers, a daemon killed by SIGKILL is restarted
# (Restart=always), `systemctl reload` sends SIGHUP, `systemctl stop` ends it cleanly.
#
# Usage (root, on a machine where the test may create namespaces): packaging/systemd-smoke.sh BINARY
# Nothing on the host file system changes: systemd writes only to the overlay (a tmpfs). Only the
# unit and its target are started (DefaultDependencies=no): no sysinit.target, no tmpfiles, no udev.
set -eu
BIN=$(readlink -f "${1:?usage: systemd-smoke.sh BINARY}")
UNIT=$(readlink -f "$(dirname "$0")/../systemd/k8s-anon-exporter.service")
[ "$(id -u)" = 0 ] || { echo "systemd-smoke.sh: needs root" >&2; exit 1; }

inner() {
  set -e
  mount --make-rprivate /
  mount -t tmpfs tmpfs "$W"
  mkdir "$W/upper" "$W/work" "$W/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/work" "$W/root"
  R="$W/root"
  mountpoint -q "$R" || exit 1
  mount --rbind /dev "$R/dev"
  mount --rbind /sys "$R/sys"
  mount -t proc proc "$R/proc"
  for d in /run /tmp /var/tmp /var/log/journal; do mkdir -p "$R$d"; mount -t tmpfs tmpfs "$R$d"; done
  cp "$BIN" "$R/usr/local/bin/k8s-anon-exporter"
  S="$R/etc/systemd/system"
  rm -rf "$S" && mkdir -p "$S/k8s-anon-exporter.service.d" "$R/run/k8s-anon-test"
  cp "$UNIT" "$S/k8s-anon-exporter.service"
  printf '[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=\nExecStart=/usr/local/bin/k8s-anon-exporter serve --config=/run/k8s-anon-test/config.yaml\nStandardOutput=file:/run/k8s-anon-test/out\nStandardError=file:/run/k8s-anon-test/out\nRestartSec=1s\n' \
    > "$S/k8s-anon-exporter.service.d/test.conf"
  printf '[Unit]\nDefaultDependencies=no\nWants=k8s-anon-exporter.service\n' > "$S/k8s-anon-test.target"
  for u in systemd-udev-trigger systemd-udevd systemd-sysctl systemd-modules-load systemd-binfmt systemd-tmpfiles-setup systemd-tmpfiles-clean systemd-journald; do
    ln -sf /dev/null "$S/$u.service"
  done
  : > "$R/run/k8s-anon-test/audit.log"
  printf 'audit:\n  path: /run/k8s-anon-test/audit.log\nrbac:\n  enabled: "false"\nprobe:\n  enabled: false\n' > "$R/run/k8s-anon-test/config.yaml"
  ip link set lo up 2>/dev/null || true
  # container=: systemd's container mode (no swapoff, loop or DM detach, no hardware units).
  exec env -i container=k8s-anon-smoke /usr/sbin/chroot "$R" /lib/systemd/systemd --system --unit=k8s-anon-test.target --log-target=console --log-level=notice
}

if [ "${K8S_ANON_SMOKE_INNER:-}" = 1 ]; then inner; exit 1; fi
W=$(mktemp -d /tmp/k8s-anon-systemd.XXXXXX)
LOG="$W.log"
# systemd creates its cgroups (init.scope, system.slice, ...) in the host's hierarchies; the empty ones it
# leaves are removed at the end (rmdir removes only empty cgroups).
cgroups() { find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d 2>/dev/null | sort; }
BEFORE=$(cgroups)
env K8S_ANON_SMOKE_INNER=1 W="$W" BIN="$BIN" UNIT="$UNIT" unshare --pid --mount --uts --ipc --net --fork sh "$0" "$BIN" > "$LOG" 2>&1 &
UNSHARE=$!
cleanup() {
  [ -n "${SD:-}" ] && kill -KILL "$SD" 2>/dev/null
  wait "$UNSHARE" 2>/dev/null || true
  sleep 0.5
  cgroups | while read -r d; do
    echo "$BEFORE" | grep -qxF "$d" || find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$W" 2>/dev/null && break; sleep 0.5; done
  rm -f "$LOG"
}
trap cleanup EXIT
SD=""
for _ in $(seq 100); do SD=$(pgrep -P "$UNSHARE" -x systemd || true); [ -n "$SD" ] && break; sleep 0.1; done
[ -n "$SD" ] || { cat "$LOG"; echo "systemd did not start" >&2; exit 1; }
in_ns() { nsenter -t "$SD" -m -p -u -i -n --root="/proc/$SD/root" "$@"; }
ctl() { in_ns systemctl "$@"; }
prop() { ctl show -p "$1" --value k8s-anon-exporter.service; }
# shellcheck disable=SC2016 # the conditions are evaluated later, in wait_for
wait_for() { for _ in $(seq 150); do if eval "$1"; then return 0; fi; sleep 0.2; done; echo "timed out: $1" >&2; return 1; }
fail() { echo "FAIL: $*" >&2; ctl status --no-pager k8s-anon-exporter.service >&2 || true; in_ns cat /run/k8s-anon-test/out >&2 || true; exit 1; }

# shellcheck disable=SC2016
wait_for '[ "$(prop ActiveState 2>/dev/null)" = active ]' || fail "unit not active"
wait_for 'in_ns curl -sf http://127.0.0.1:19100/healthz >/dev/null' || fail "/healthz does not answer"
echo "ok: active under systemd $(in_ns systemctl --version | head -1 | cut -d' ' -f2), /healthz answers"
PID1=$(prop MainPID)
in_ns kill -KILL "$PID1"
# shellcheck disable=SC2016
wait_for '[ "$(prop NRestarts)" = 1 ] && [ "$(prop ActiveState)" = active ] && [ "$(prop MainPID)" != "$PID1" ]' || fail "not restarted after SIGKILL"
echo "ok: restarted after SIGKILL (NRestarts=1)"
ctl reload k8s-anon-exporter.service || fail "reload"
echo "ok: systemctl reload ran ExecReload (SIGHUP)"
ctl stop k8s-anon-exporter.service || fail "stop"
[ "$(prop ActiveState)" = inactive ] || fail "not inactive after stop: $(prop ActiveState) $(prop Result)"
echo "ok: stopped cleanly (Result=$(prop Result))"
