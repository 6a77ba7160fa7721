# The grokscope CLI in a container: what `grokscope sweep --emit k8s` runs by default
# (image grokscope:<version>; docs/cluster.md). Build from the repository root:
#   docker build -t grokscope:0.1.0 .
#   docker run --rm -v "$PWD/runs:/runs" grokscope:0.1.0 train --preset quick --out /runs/quick-0
# The wasm backend is built in; it needs no GPU and no native add-on.
# Node 24, the current LTS (Node 20's support ended 2026-04-30), the version scripts/testOnNode24.sh
# tests. Pin it by digest where you build: `docker buildx imagetools inspect node:24.22.3-bookworm-slim`
# prints it, then FROM node:24.22.3-bookworm-slim@sha256:… on both lines. None is written here: no
# registry is reachable where this file is tested, which replays its steps instead (docs/cluster.md).

FROM node:24.22.3-bookworm-slim AS build
WORKDIR /grokscope
# The manifests first, so that editing sources does not re-download dependencies.
COPY package.json package-lock.json ./
# Every workspace's manifest, so that npm ci installs each workspace as the lock file describes it.
COPY packages/base/package.json packages/base/
COPY packages/core/package.json packages/core/
COPY packages/tasks/package.json packages/tasks/
COPY packages/models/package.json packages/models/
COPY packages/probes/package.json packages/probes/
COPY packages/analysis/package.json packages/analysis/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/lab/package.json packages/lab/
COPY packages/cli/package.json packages/cli/
COPY examples/custom-kinds/package.json examples/custom-kinds/
COPY examples/custom-model/package.json examples/custom-model/
COPY examples/custom-probe/package.json examples/custom-probe/
COPY examples/custom-task/package.json examples/custom-task/
# No install scripts: nothing the CLI runs needs one (tfjs-node, which does, is optional).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The root build: every package (tsc -b), the analysis ESM build, the dashboard's page and the
# lab's static folder, which `grokscope dashboard` and `grokscope lab` serve (without them, they
# exit "the page is not built").
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24.22.3-bookworm-slim
WORKDIR /grokscope
COPY --from=build /grokscope /grokscope
RUN ln -s /grokscope/packages/cli/bin/grokscope.js /usr/local/bin/grokscope \
  && mkdir /runs && chown node:node /runs
# Not root: the image's own user (uid 1000), which a Kubernetes runAsNonRoot accepts.
USER 1000:1000
# Runs are written where the container is told (--out); /runs is a convenient mount point.
WORKDIR /runs
ENTRYPOINT ["grokscope"]
CMD ["--help"]
