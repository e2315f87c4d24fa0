import type { IncomingHttpHeaders } from 'node:http';

export interface UploadedFilePart {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFilePart[];
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  id: number;
  method: string;
  /** The path without the query string, e.g. `/v1/responses`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, a multipart body, the raw text, or undefined (also when bodies are not recorded). */
  body: unknown;
  /** The client closed the connection before the fake finished answering. */
  aborted: boolean;
  /** The status the fake answered with, once headers were sent. */
  status?: number;
  /** Epoch milliseconds. */
  receivedAt: number;
  /** Epoch milliseconds when the answer ended or the connection closed. */
  endedAt?: number;
}

export type RequestPredicate = (request: RecordedRequest) => boolean;

interface Waiter {
  predicate: RequestPredicate;
  resolve: (request: RecordedRequest) => void;
}

export interface RequestLogOptions {
  recordBodies: boolean;
  maxRecorded: number;
}

/** Every request the fake received (oldest dropped beyond the cap), with waiters for tests. */
export class RequestLog {
  private readonly entries: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;

  constructor(private readonly options: RequestLogOptions) {}

  get all(): readonly RecordedRequest[] {
    return this.entries;
  }

  record(request: Omit<RecordedRequest, 'id' | 'aborted' | 'receivedAt'>): RecordedRequest {
    const entry: RecordedRequest = {
      id: this.nextId++,
      ...request,
      body: this.options.recordBodies ? request.body : undefined,
      aborted: false,
      receivedAt: Date.now(),
    };
    this.entries.push(entry);
    if (this.entries.length > this.options.maxRecorded) this.entries.shift();
    this.notify(entry);
    return entry;
  }

  /** Call after changing a recorded entry so waiters see the change. */
  updated(entry: RecordedRequest): void {
    this.notify(entry);
  }

  to(method: string, pathPrefix: string): RecordedRequest[] {
    const upperMethod = method.toUpperCase();
    return this.entries.filter((entry) => entry.method === upperMethod && entry.path.startsWith(pathPrefix));
  }

  waitFor(predicate: RequestPredicate, timeoutMs: number): Promise<RecordedRequest> {
    const existing = this.entries.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake OpenAI: no matching request within ${timeoutMs} ms; got ${this.describeRecent()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.entries.length = 0;
  }

  private notify(entry: RecordedRequest): void {
    for (const waiter of this.waiters) {
      if (!waiter.predicate(entry)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(entry);
    }
  }

  private describeRecent(): string {
    const recent = this.entries.slice(-10);
    if (recent.length === 0) return 'no requests';
    return recent.map((entry) => `${entry.method} ${entry.path}${entry.aborted ? ' (aborted)' : ''}`).join(', ');
  }
}
