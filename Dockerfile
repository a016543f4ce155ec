# perfctl as an image: `docker build -t perfctl .` then `docker run --rm perfctl run spike --demo -d 30s`.
# Two stages: the first compiles TypeScript with the dev dependencies, the second carries only
# what perfctl needs to run (dist, production node_modules, the built-in profiles, schemas,
# report templates, the demo service, the examples) and runs as the unprivileged `node` user.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# no scripts yet: `prepare` builds, and the sources are not copied until the next step
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY schemas ./schemas
# the build precompiles the report templates (scripts/precompile-templates.mjs)
COPY reports-templates ./reports-templates
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/perfctl
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY scenarios ./scenarios
COPY reports-templates ./reports-templates
COPY examples ./examples
RUN ln -s /opt/perfctl/bin/perfctl.js /usr/local/bin/perfctl && chmod +x /opt/perfctl/bin/perfctl.js \
 && mkdir -p /work && chown node:node /work
# results go to /work (mount a volume there, or pass --out)
WORKDIR /work
USER node
ENTRYPOINT ["perfctl"]
CMD ["--help"]
