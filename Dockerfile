# k8s-anon-exporter container image.
#
# The build stage makes the single executable (`npm run release`); the runtime stage holds only
# that executable and the C/C++ runtime libraries it links: no shell, no package manager.
# Run it as the DaemonSet in deploy/kubernetes does: uid 0, all capabilities dropped but
# DAC_READ_SEARCH, read-only root file system. deploy/image/build.sh builds the same image with
# buildah from scratch, without a Docker engine.
FROM docker.io/library/node:20.20.2-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run release && deploy/image/rootfs.sh release/k8s-anon-exporter-*-linux-x64 /rootfs

FROM scratch
COPY --from=build /rootfs/ /
USER 0:0
EXPOSE 19100
ENTRYPOINT ["/usr/bin/k8s-anon-exporter"]
CMD ["serve", "--config=/etc/k8s-anon-exporter/config.yaml"]
