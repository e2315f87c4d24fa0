# Production image: build with the dev dependencies, run with the runtime ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
# A bounded old space keeps short-lived stream garbage from growing the process (raise it for very many open streams);
# a 32 MB young generation lets the objects of requests in flight die young instead of being promoted.
ENV NODE_ENV=production PORT=3000 NODE_OPTIONS="--max-old-space-size=384 --max-semi-space-size=32"
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-old-space-size=384", "--max-semi-space-size=32", "dist/src/main.js"]
