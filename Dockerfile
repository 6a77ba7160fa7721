# The grokscope CLI in a container: what `grokscope sweep --emit k8s` runs by default
# (image grokscope:<version>; docs/cluster.md). Build from the repository root:
#   docker build -t grokscope:0.1.0 .
#   docker run --rm -v "$PWD/runs:/runs" grokscope:0.1.0 train --preset quick --out /runs/quick-0
# The wasm backend is built in; it needs no GPU and no native add-on.

FROM node:20-bookworm-slim AS build
WORKDIR /grokscope
# The manifests first, so that editing sources does not re-download dependencies.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/tasks/package.json packages/tasks/
COPY packages/models/package.json packages/models/
COPY packages/probes/package.json packages/probes/
COPY packages/analysis/package.json packages/analysis/
COPY packages/cli/package.json packages/cli/
COPY examples/custom-probe/package.json examples/custom-probe/
# No install scripts: nothing the CLI runs needs one (tfjs-node, which does, is optional).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -b tsconfig.json && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /grokscope
COPY --from=build /grokscope /grokscope
RUN ln -s /grokscope/packages/cli/bin/grokscope.js /usr/local/bin/grokscope
# Runs are written where the container is told (--out); /runs is a convenient mount point.
WORKDIR /runs
ENTRYPOINT ["grokscope"]
CMD ["--help"]
