import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One statement the platform sent: a simple query, or Parse+Bind...Sync of the extended protocol. */
export interface CapturedQuery {
  at: number;
  connection: number;
  sql: string;
  /** Text-format parameters (null for SQL NULL, "<binary>" for binary ones). */
  params: Array<string | null>;
}

/**
 * A PostgreSQL wire-protocol pass-through that records what the platform
 * sends: every statement with its parameters, and the round trips (one per
 * simple Query or per Sync). The bench points the platform's DATABASE_URL at
 * it to count the database work behind one HTTP request and to EXPLAIN the
 * exact statements.
 */
export class PgProxy {
  readonly queries: CapturedQuery[] = [];
  private recording = false;
  private nextConnection = 1;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(upstreamUrl: string): Promise<PgProxy> {
    const upstream = new URL(upstreamUrl);
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const proxy = new PgProxy(server, port);
    server.on('connection', (client) => proxy.handle(client, upstream.hostname, Number(upstream.port || 5432)));
    return proxy;
  }

  /** The upstream URL with host and port replaced by the proxy's. */
  urlFor(upstreamUrl: string): string {
    const url = new URL(upstreamUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Records what is sent while `body` runs. */
  async record<T>(body: () => Promise<T>, settleMs = 150): Promise<{ value: T; queries: CapturedQuery[] }> {
    this.queries.length = 0;
    this.recording = true;
    try {
      const value = await body();
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      return { value, queries: [...this.queries] };
    } finally {
      this.recording = false;
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(client: Socket, host: string, port: number): void {
    const connection = this.nextConnection++;
    const server = connect({ host, port });
    this.sockets.add(client);
    this.sockets.add(server);
    const close = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('error', close);
    server.on('error', close);
    client.on('close', close);
    server.on('close', close);
    server.pipe(client);

    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    const statements = new Map<string, string>();
    let pending: { sql: string; params: Array<string | null> } | undefined;
    client.on('data', (chunk: Buffer) => {
      server.write(chunk);
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          // StartupMessage / SSLRequest: int32 length, no type byte.
          if (buffer.length < 4) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code !== 80877103) started = true;
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        // Named statements are remembered whenever they are prepared: a later Bind names them only.
        if (type === 'P') {
          const name = cString(body, 0);
          const sql = cString(body, name.next).value;
          if (name.value) statements.set(name.value, sql);
          if (this.recording) pending = { sql, params: [] };
          continue;
        }
        if (!this.recording) continue;
        if (type === 'Q') {
          this.queries.push({ at: performance.now(), connection, sql: cString(body, 0).value, params: [] });
        } else if (type === 'B') {
          const portal = cString(body, 0);
          const statement = cString(body, portal.next);
          let offset = statement.next;
          const formatCount = body.readInt16BE(offset);
          const formats: number[] = [];
          offset += 2;
          for (let index = 0; index < formatCount; index++, offset += 2) formats.push(body.readInt16BE(offset));
          const paramCount = body.readInt16BE(offset);
          offset += 2;
          const params: Array<string | null> = [];
          for (let index = 0; index < paramCount; index++) {
            const size = body.readInt32BE(offset);
            offset += 4;
            const format = formats.length === 1 ? formats[0] : (formats[index] ?? 0);
            if (size < 0) params.push(null);
            else {
              params.push(format === 0 ? body.toString('utf8', offset, offset + size) : '<binary>');
              offset += size;
            }
          }
          pending = { sql: pending?.sql ?? statements.get(statement.value) ?? '<unknown statement>', params };
        } else if (type === 'S') {
          if (pending) this.queries.push({ at: performance.now(), connection, ...pending });
          pending = undefined;
        }
      }
    });
  }
}

function cString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

/** Replaces $1..$n with literals, for EXPLAIN. */
export function inlineParams(sql: string, params: Array<string | null>): string {
  return sql.replace(/\$(\d+)/g, (_, digits: string) => {
    const value = params[Number(digits) - 1];
    return value === null || value === undefined ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
  });
}
