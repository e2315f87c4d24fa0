import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { TcpProxy } from './tcp-proxy.js';

/** s3rver's fixed credentials (it checks every request's signature against them). */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';
const BUCKET = 'platform-files';

/**
 * A real S3 protocol server (s3rver) on loopback, keeping its objects in a
 * temporary folder, for the file tests to run with FILE_STORAGE=s3. The
 * platform reaches it through a TCP relay that can be taken down (the service
 * unreachable) and up again; the tests list the bucket directly.
 */
export class TestS3Server {
  private constructor(
    private readonly directory: string,
    private readonly server: S3rver,
    private readonly serverPort: number,
    private readonly relay: TcpProxy,
  ) {}

  static async start(): Promise<TestS3Server> {
    const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
    const { port } = await server.run();
    return new TestS3Server(directory, server, port, await TcpProxy.start('127.0.0.1', port));
  }

  /** Where the platform reaches the service (through the relay). */
  get endpoint(): string {
    return `http://127.0.0.1:${this.relay.port}`;
  }

  /** The platform's settings for this server. */
  env(): Record<string, string> {
    return {
      FILE_STORAGE: 's3',
      S3_ENDPOINT: this.endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    };
  }

  /** The keys in the bucket under the prefix, listed through the S3 protocol. */
  async keys(prefix = ''): Promise<string[]> {
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${this.serverPort}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    });
    try {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    } finally {
      client.destroy();
    }
  }

  /** The service becomes unreachable for the platform: open connections drop, new ones are refused. */
  pause(): void {
    this.relay.down();
  }

  resume(): void {
    this.relay.up();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.server.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}
