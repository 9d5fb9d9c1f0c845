#!/bin/sh
# Installs k8s-anon-exporter on a control-plane node, idempotently:
#   /opt/k8s-anon-exporter/            the built program and its production dependencies
#   /usr/local/bin/k8s-anon-exporter   symlink to the CLI
#   /etc/systemd/system/k8s-anon-exporter.service
#   /etc/k8s-anon-exporter/config.yaml (only when absent: an existing configuration is kept)
#   /etc/netdata/custom-plugins.d/k8s_anon.plugin and every netdata-config/health.d/*.conf
#                                      in /etc/netdata/health.d/ (only when /etc/netdata exists)
# Run from a built checkout (npm ci && npm run build) or from the installed npm package
# (npm install -g k8s-anon-exporter). Running it again changes nothing
# unless the source changed; every line of output says "installed" or "unchanged".
#
# Usage: deploy/install.sh [--root DIR] [--no-systemctl]
#   --root DIR       install below DIR instead of / (packaging, tests); implies --no-systemctl
#   --no-systemctl   do not run systemctl daemon-reload / enable --now
set -eu

ROOT=""
SYSTEMCTL=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2:?--root needs a directory}"; SYSTEMCTL=no; shift 2 ;;
    --root=*) ROOT="${1#--root=}"; SYSTEMCTL=no; shift ;;
    --no-systemctl) SYSTEMCTL=no; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument: $1" >&2; exit 1 ;;
  esac
done

SRC=$(cd "$(dirname "$0")/.." && pwd)
APP="$ROOT/opt/k8s-anon-exporter"
CHANGED=0

die() { echo "install.sh: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || die "node (>= 20.19) is not installed"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || die "node >= 20.19 is required"
[ -f "$SRC/dist/src/cli.js" ] || die "no build in $SRC/dist: run npm ci && npm run build first"
[ -d "$SRC/node_modules" ] || die "no node_modules in $SRC: run npm ci first"

# install_file SRC DST MODE: copies when the content or mode differs.
install_file() {
  mkdir -p "$(dirname "$2")"
  if [ -f "$2" ] && cmp -s "$1" "$2" && [ "$(stat -c %a "$2")" = "$3" ]; then echo "unchanged $2"; return; fi
  cp "$1" "$2.tmp.$$" && chmod "$3" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
  echo "installed $2"; CHANGED=1
}

# sync_tree SRC DST: replaces the directory DST with SRC when they differ.
sync_tree() {
  if [ -d "$2" ] && diff -r -q "$1" "$2" >/dev/null 2>&1; then echo "unchanged $2"; return; fi
  mkdir -p "$(dirname "$2")"
  rm -rf "$2.new"; cp -R "$1" "$2.new"; rm -rf "$2"; mv "$2.new" "$2"
  echo "installed $2"; CHANGED=1
}

# Stage the program: built JavaScript, CLI entry and shipped integrations.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/app/dist"
cp -R "$SRC/bin" "$SRC/package.json" "$STAGE/app/"
# A checkout has package-lock.json; the npm package does not (its dependency set is stamped below).
[ -f "$SRC/package-lock.json" ] && cp "$SRC/package-lock.json" "$STAGE/app/"
cp -R "$SRC/dist/src" "$STAGE/app/dist/src"
for d in dashboards netdata-config systemd deploy README.md LICENSE CHANGELOG.md SECURITY.md; do [ -e "$SRC/$d" ] && cp -R "$SRC/$d" "$STAGE/app/"; done
find "$STAGE/app" -name '*.map' -delete
chmod -R u=rwX,go=rX "$STAGE/app"
# Production dependencies only, copied when the dependency set (a stamp of `npm ls`: paths and versions) changed.
(cd "$SRC" && npm ls --omit=dev --all --parseable 2>/dev/null) | sed -n "s|^$SRC/node_modules/|node_modules/|p" | sort > "$STAGE/deps"
STAMP=$( (cat "$STAGE/deps"; cd "$SRC" && npm ls --omit=dev --all --parseable --long 2>/dev/null | sed "s|^$SRC/||" | sort) | sha256sum | cut -d' ' -f1)
if [ -d "$APP/node_modules" ] && [ "$(cat "$APP/node_modules/.k8s-anon-exporter-deps" 2>/dev/null)" = "$STAMP" ]; then
  mv "$APP/node_modules" "$STAGE/node_modules.keep"; NEWDEPS=no
else
  mkdir -p "$STAGE/node_modules.keep"; NEWDEPS=yes
  while read -r rel; do
    [ -e "$STAGE/node_modules.keep/${rel#node_modules/}" ] && continue
    mkdir -p "$STAGE/node_modules.keep/$(dirname "${rel#node_modules/}")"
    cp -R "$SRC/$rel" "$STAGE/node_modules.keep/${rel#node_modules/}"
  done < "$STAGE/deps"
  echo "$STAMP" > "$STAGE/node_modules.keep/.k8s-anon-exporter-deps"
  chmod -R u=rwX,go=rX "$STAGE/node_modules.keep"
fi
sync_tree "$STAGE/app" "$APP"
mv "$STAGE/node_modules.keep" "$APP/node_modules"
if [ "$NEWDEPS" = yes ]; then echo "installed $APP/node_modules"; CHANGED=1; else echo "unchanged $APP/node_modules"; fi

mkdir -p "$ROOT/usr/local/bin"
LINK="$ROOT/usr/local/bin/k8s-anon-exporter"
if [ "$(readlink "$LINK" 2>/dev/null || true)" = "/opt/k8s-anon-exporter/bin/k8s-anon-exporter.js" ]; then echo "unchanged $LINK"
else ln -sfn /opt/k8s-anon-exporter/bin/k8s-anon-exporter.js "$LINK"; echo "installed $LINK"; CHANGED=1; fi

install_file "$SRC/systemd/k8s-anon-exporter.service" "$ROOT/etc/systemd/system/k8s-anon-exporter.service" 644
if [ -e "$ROOT/etc/k8s-anon-exporter/config.yaml" ]; then echo "unchanged $ROOT/etc/k8s-anon-exporter/config.yaml (kept)"
else install_file "$SRC/deploy/config.example.yaml" "$ROOT/etc/k8s-anon-exporter/config.yaml" 644; fi

if [ -d "$ROOT/etc/netdata" ]; then
  install_file "$SRC/netdata-config/custom-plugins.d/k8s_anon.plugin" "$ROOT/etc/netdata/custom-plugins.d/k8s_anon.plugin" 755
  for conf in "$SRC"/netdata-config/health.d/*.conf; do
    install_file "$conf" "$ROOT/etc/netdata/health.d/$(basename "$conf")" 644
  done
  grep -q '^\[plugin:k8s_anon\]' "$ROOT/etc/netdata/netdata.conf" 2>/dev/null ||
    echo "note: append $SRC/netdata-config/netdata.conf.d/k8s_anon.conf to /etc/netdata/netdata.conf and restart netdata"
fi

if [ "$SYSTEMCTL" = yes ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
  systemctl enable k8s-anon-exporter.service >/dev/null 2>&1 || true
  if [ "$CHANGED" = 1 ]; then systemctl restart k8s-anon-exporter.service; else systemctl start k8s-anon-exporter.service; fi
  echo "service k8s-anon-exporter.service: $(systemctl is-active k8s-anon-exporter.service || true)"
fi
