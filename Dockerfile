FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg libpocketsphinx3 pocketsphinx-en-us python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web
ENV NODE_ENV=production DATA_DIR=/data PORT=8080
VOLUME ["/data", "/app/models"]
EXPOSE 8080
CMD ["node", "--import", "tsx", "services/server/main.ts"]
