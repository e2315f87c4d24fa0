import connectPgSimple from 'connect-pg-simple';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { type SessionData } from 'express-session';
import type pg from 'pg';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from '../errors/error-envelope.js';
import { toDomainError } from '../errors/error-mapping.js';
import type { AppLogger } from '../logging/logger.js';
import { SESSIONS_ENDED_CHANNEL, type SessionCache } from './session-cache.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    /** Epoch milliseconds of sign-in: the absolute lifetime counts from here. */
    createdAt: number;
    /** Epoch milliseconds of the last request, refreshed at most every few seconds. */
    lastSeenAt: number;
    /** Set at sign-in when an administrator asked for a new password: only the password change is open. */
    passwordChangeRequired?: boolean;
  }
}

export const PLAIN_COOKIE_NAME = 'sid';
/** Browsers only accept a __Host- cookie when it is Secure, host-only and for path /. */
export const SECURE_COOKIE_NAME = '__Host-sid';

const PgStore = connectPgSimple(session);

/** SQL that ends a session and announces it, in one statement (see SessionCache). */
const END_SESSION = `WITH ended AS (DELETE FROM "session" WHERE sid = $1 RETURNING user_id)
  SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', user_id::text) FROM ended WHERE user_id IS NOT NULL`;

/** Saves a session only while its row exists (see CachedPgStore.set). */
const UPDATE_SESSION = `UPDATE "session" SET sess = $1, expire = to_timestamp($2) WHERE sid = $3 RETURNING sid`;

/** Marks, on the request's session object only (never stored), a session created by this request's sign-in. */
const SIGNED_IN_HERE = Symbol('signed in by this request');
type SignedInSession = SessionData & { [SIGNED_IN_HERE]?: true };

/**
 * connect-pg-simple with the instance's session cache in front: reads are
 * answered from the cache while it is fresh, writes go through to PostgreSQL
 * and refresh it, and ending a session tells every instance.
 */
class CachedPgStore extends PgStore {
  constructor(
    options: connectPgSimple.PGStoreOptions,
    private readonly cache: SessionCache,
  ) {
    super(options);
  }

  override get(sid: string, callback: (error: unknown, session?: SessionData | null) => void): void {
    const cached = this.cache.get(sid);
    if (cached) return callback(null, cached);
    const mark = this.cache.mark();
    super.get(sid, (error, data) => {
      if (!error && data) this.cache.remember(sid, { ...data, cookie: { ...data.cookie } }, mark);
      callback(error, data);
    });
  }

  /**
   * A session is written as a new row only by the request that signed in;
   * every later save updates the row if it still exists. A request still
   * running when its session was ended (sign-out elsewhere, password change,
   * account deletion) must not bring the session back when it finishes.
   */
  override set(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    const mark = this.cache.mark();
    const remember = (error?: unknown, stored = true) => {
      if (!error && stored) this.cache.remember(sid, JSON.parse(JSON.stringify(data)) as SessionData, mark);
      else this.cache.forget(sid);
      callback?.(error);
    };
    if ((data as SignedInSession)[SIGNED_IN_HERE]) return super.set(sid, data, (error?: unknown) => remember(error));
    const expiresAt = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : Date.now() + (data.cookie?.maxAge ?? 0);
    this.run(UPDATE_SESSION, [JSON.stringify(data), Math.ceil(expiresAt / 1000), sid], (error, row) => remember(error, row !== undefined));
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.cache.forget(sid);
    this.run(END_SESSION, [sid], (error) => callback?.(error));
  }

  /** connect-pg-simple's query helper: the first row, or undefined. */
  private run(sql: string, params: unknown[], done: (error?: unknown, row?: unknown) => void): void {
    (this as unknown as { query(sql: string, params: unknown[], done: (error?: unknown, row?: unknown) => void): void }).query(sql, params, done);
  }
}

/**
 * Sessions in PostgreSQL (connect-pg-simple over the application's pool).
 * Requests over HTTPS get a Secure `__Host-` cookie; plain HTTP gets `sid`.
 * Idle and absolute timeouts are checked on every request; the idle clock is
 * written back at most every `touchEveryMs`, not on every request.
 */
export function createSessionMiddleware(config: AppConfig, pool: pg.Pool, logger: AppLogger, cache: SessionCache): RequestHandler {
  // Each session middleware needs its own store object: express-session
  // installs its cookie settings on the store it is given.
  const createStore = (prune: boolean) =>
    new CachedPgStore({
      pool,
      tableName: 'session',
      createTableIfMissing: false,
      // The idle clock is the session's own lastSeenAt (saved at most every few seconds); a touch on
      // every request would only rewrite the expiry, which the absolute lifetime fixes.
      disableTouch: true,
      pruneSessionInterval: prune && config.session.pruneIntervalSeconds > 0 ? config.session.pruneIntervalSeconds : false,
      errorLog: (...args: unknown[]) => logger.warn({ detail: args.map(String).join(' ') }, 'session store'),
    }, cache);
  const idleMs = config.session.idleTimeoutSeconds * 1000;
  const absoluteMs = config.session.absoluteTimeoutSeconds * 1000;
  const touchEveryMs = Math.min(60_000, Math.floor(idleMs / 4));

  const build = (secure: boolean) =>
    session({
      name: secure ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME,
      secret: config.session.secrets,
      store: createStore(!secure),
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: absoluteMs },
    });
  const plain = build(false);
  const secure = build(true);

  const expire = (request: Request, next: NextFunction) =>
    request.session.regenerate((error) => next(error));

  return (request: Request, response: Response, next: NextFunction) => {
    const handler = request.secure ? secure : plain;
    const fail = (error: unknown) =>
      sendError(
        response,
        toDomainError(error) ?? new DomainError('database_unavailable', 'Sessions are unavailable; try again shortly', undefined, 5),
        request.id,
      );
    handler(request, response, (error?: unknown) => {
      if (error) return fail(error);
      const data = request.session;
      if (!data?.userId) return next();
      const now = Date.now();
      if (now - (data.createdAt ?? 0) > absoluteMs || now - (data.lastSeenAt ?? 0) > idleMs) {
        return expire(request, (regenerateError?: unknown) => (regenerateError ? fail(regenerateError) : next()));
      }
      if (now - (data.lastSeenAt ?? 0) > touchEveryMs) data.lastSeenAt = now;
      next();
    });
  };
}

/** Replaces the session id (fixation defence) and signs the user in. */
export function signIn(request: Request, userId: string, options: { passwordChangeRequired?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    request.session.regenerate((error) => {
      if (error) return reject(error);
      const now = Date.now();
      (request.session as SignedInSession)[SIGNED_IN_HERE] = true;
      request.session.userId = userId;
      request.session.createdAt = now;
      request.session.lastSeenAt = now;
      if (options.passwordChangeRequired) request.session.passwordChangeRequired = true;
      // Stored now rather than when the response ends, so that the user's
      // oldest sessions can be ended counting this one. express-session saves
      // a regenerated session again when the response ends: by then it is an
      // ordinary save (an update), which cannot bring the row back if a
      // racing sign-in has already ended this session.
      request.session.save((saveError) => {
        if (saveError) return reject(saveError);
        delete (request.session as SignedInSession)[SIGNED_IN_HERE];
        resolve();
      });
    });
  });
}

export function signOut(request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const cookieName = request.secure ? SECURE_COOKIE_NAME : PLAIN_COOKIE_NAME;
    request.session.destroy((error) => {
      if (error) return reject(error);
      response.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.secure });
      resolve();
    });
  });
}
