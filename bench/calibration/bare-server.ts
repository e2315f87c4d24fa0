/**
 * The calibration server of the `machine` scenario: node:http answering
 * every request with one `SELECT 1` and a small JSON body, and nothing else
 * (no framework, no middleware). What the machine gives a Node.js process
 * that does the least a /health check can do.
 */
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const server = createServer((_request, response) => {
  pool.query('SELECT 1').then(
    () => {
      const body = JSON.stringify({ status: 'ok', database: 'up', timestamp: new Date().toISOString() });
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    },
    () => {
      response.writeHead(503);
      response.end();
    },
  );
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
