import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '../errors/domain-error.js';
import { envelopeOf } from '../errors/error-envelope.js';

function errorFor(code: string | undefined): DomainError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new DomainError('headers_too_large', 'The request line or headers are larger than the server accepts');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new DomainError('payload_too_large', 'The chunk extensions are larger than the server accepts');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DomainError('request_timeout', 'The request was not received in time');
    default:
      return new DomainError('bad_request', 'The request is not valid HTTP');
  }
}

/**
 * Requests that Node's HTTP parser refuses (malformed, headers or URL over
 * the limit, too slow) never reach the application; they are answered in the
 * error envelope too, as Node would answer them (only while no response has
 * started on the connection), and the connection is closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (error.code !== 'ECONNRESET' && socket.writable && !socket._httpMessage?.headersSent) {
      const domainError = errorFor(error.code);
      const body = JSON.stringify(envelopeOf(domainError));
      socket.write(
        `HTTP/1.1 ${domainError.status} ${STATUS_CODES[domainError.status]}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
}
