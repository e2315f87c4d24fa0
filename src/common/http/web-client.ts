import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths the API and operations own: never answered with the client's page. */
const SERVER_PATH_PREFIXES = ['/api', '/health', '/config', '/docs', '/docs-json', '/metrics'];
/** Built files whose names carry a content hash (web/build.mjs puts them here). */
const HASHED_ASSETS_PREFIX = '/assets/';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The built client (`dist/web`), found from the project root whether running from src/ (tests) or dist/src/. */
export function defaultWebClientDir(): string | undefined {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(folder, 'package.json'))) return join(folder, 'dist', 'web');
    folder = dirname(folder);
  }
  return undefined;
}

function isServerPath(path: string): boolean {
  return SERVER_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the browser client (built by `npm run build:web`) at `/`: its files,
 * its page for any GET of `/` whatever it accepts, and for any other GET that
 * asks for HTML, so client-side routes survive a reload. Does nothing when the client was not built (API-only runs).
 */
export function serveWebClient(app: NestExpressApplication, directory = defaultWebClientDir()): void {
  const indexFile = directory && join(directory, 'index.html');
  if (!directory || !indexFile || !existsSync(indexFile)) return;

  const serveFiles = express.static(directory, {
    index: false,
    redirect: false,
    setHeaders(response, filePath) {
      const hashed = filePath.startsWith(join(directory, HASHED_ASSETS_PREFIX));
      response.setHeader('Cache-Control', hashed ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache');
    },
  });
  // API requests never look for a file (a file-system call per request, on the thread pool bcrypt also uses).
  app.use((request: Request, response: Response, next: NextFunction) =>
    isServerPath(request.path) ? next() : serveFiles(request, response, next),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    // The root is the page for any GET (curl's Accept: */* too); other paths only when HTML is preferred.
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') && (request.path === '/' || request.accepts(['json', 'html']) === 'html');
    if (!wantsPage || isServerPath(request.path) || request.path.startsWith(HASHED_ASSETS_PREFIX)) return next();
    response.sendFile(indexFile, { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } }, (error) => {
      if (error) next(error);
    });
  });
}
