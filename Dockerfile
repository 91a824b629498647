# syntax=docker/dockerfile:1
# motcua: build with the toolchain, run on a slim image as a non-root user.

# Node 24 (active LTS): Node 20 reached end of life on 30 Apr 2026. The suite passes on 24
# (scripts/test-on-node.sh 24); same Debian 12 (bookworm) base as before.
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 compiles its native addon here (python3, make, g++ are in this image).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MOTCUA_DB_FILE=/data/motcua.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node itself as PID 1 receives SIGTERM and closes gracefully (src/server.ts).
CMD ["node", "--max-old-space-size=96", "dist/server.js"]
