import 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** Identifies the request in logs and in 5xx error bodies. */
    id: string;
  }
}
