#!/bin/sh
# Builds the container image with buildah from scratch, without a Docker engine or a registry:
# the same layout as the Dockerfile's runtime stage, from the executable `npm run release` built.
#
# Usage: deploy/image/build.sh [IMAGE]      (default IMAGE: k8s-anon-exporter:VERSION)
# Run as root (or in a user namespace buildah can create). On machines without overlay
# support: BUILDAH_ISOLATION=chroot STORAGE_DRIVER=vfs deploy/image/build.sh
set -eu
cd "$(dirname "$0")/../.."
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
IMAGE="${1:-k8s-anon-exporter:$VERSION}"
BIN="release/k8s-anon-exporter-$VERSION-linux-x64"
[ -x "$BIN" ] || { echo "build.sh: $BIN missing: run npm run release first" >&2; exit 1; }

ROOTFS=$(mktemp -d)
trap 'rm -rf "$ROOTFS"' EXIT
deploy/image/rootfs.sh "$BIN" "$ROOTFS"

ctr=$(buildah from scratch)
buildah copy "$ctr" "$ROOTFS/" / >/dev/null
buildah config \
  --user 0:0 \
  --entrypoint '["/usr/bin/k8s-anon-exporter"]' \
  --cmd 'serve --config=/etc/k8s-anon-exporter/config.yaml' \
  --port 19100/tcp \
  --label org.opencontainers.image.title=k8s-anon-exporter \
  --label "org.opencontainers.image.version=$VERSION" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  "$ctr"
buildah commit --rm --timestamp 0 "$ctr" "$IMAGE" >/dev/null
echo "built $IMAGE"
