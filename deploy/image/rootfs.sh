#!/bin/sh
# Lays out the image's root file system in DIR: the single executable as /usr/bin/k8s-anon-exporter,
# and the C and C++ runtime libraries it is linked against (the dynamic loader, libc, libm,
# libstdc++, libgcc_s), copied from this machine at their paths. Nothing else: no shell, no
# package manager, no /etc/passwd (the image runs as uid 0 by number).
#
# Usage: deploy/image/rootfs.sh BINARY DIR
set -eu
BIN="${1:?usage: rootfs.sh BINARY DIR}"
DIR="${2:?usage: rootfs.sh BINARY DIR}"
mkdir -p "$DIR/usr/bin" "$DIR/etc/k8s-anon-exporter" "$DIR/var/lib/k8s-anon-exporter"
install -m 0755 "$BIN" "$DIR/usr/bin/k8s-anon-exporter"
# ldd lines: "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
ldd "$BIN" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u | while read -r lib; do
  mkdir -p "$DIR$(dirname "$lib")"
  cp -L "$lib" "$DIR$lib"
done
# Fixed times and modes, so that the same binary and libraries give the same layer.
find "$DIR" -exec touch -h -d @0 {} +
