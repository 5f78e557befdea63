# Mor Prom ID's images. Multi-stage: the production dependencies are installed once (npm ci --omit=dev,
# from the lockfile), then each service gets its own image with only its own code, run as the
# unprivileged `node` user, in the production zone unless told otherwise. Node runs the TypeScript
# directly (type stripping): there is no build step and no dev dependency in any image.
#
#   docker build -t mpid-idp .                          # the IdP (the default target)
#   docker build --target authencode -t mpid-authencode .
#
# The card reader agent (agent/) runs on counter PCs and has no image; neither image contains it, and
# the IdP image does not contain the Authen Code service. See docs/operations.md.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS base
ENV NODE_ENV=production \
    IDP_ZONE=production \
    DATA_DIR=/var/lib/mpid \
    KEYS_DIR=/run/mpid/keys \
    METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src/kernel ./src/kernel
COPY samples ./samples
RUN mkdir -p /var/lib/mpid /run/mpid/keys && chown node:node /var/lib/mpid /run/mpid/keys

# The Authen Code service: node src/authencode/main.ts; its operator commands are `mpid authencode …`
# on a machine with the repository (they are not in this image).
FROM base AS authencode
COPY src/authencode ./src/authencode
COPY migrations/authencode ./migrations/authencode
USER node
ENV AUTHENCODE_PORT=3100 AUTHENCODE_METRICS_PORT=9465
EXPOSE 3100 9465
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.AUTHENCODE_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "src/authencode/main.ts"]

# The IdP (default target): node src/idp/main.ts; `docker run … mpid <command>` runs the IdP's operator
# commands (mpid keys init, secrets generate, migrate, account add, admin bootstrap, client add, …).
FROM base AS idp
COPY src/idp ./src/idp
COPY migrations/idp ./migrations/idp
RUN printf '#!/bin/sh\nexec node /app/src/idp/cli/main.ts "$@"\n' > /usr/local/bin/mpid && chmod 755 /usr/local/bin/mpid
USER node
ENV PORT=3000 METRICS_PORT=9464
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "src/idp/main.ts"]
