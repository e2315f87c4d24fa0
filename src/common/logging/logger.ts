import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LoggerService } from '@nestjs/common';
import { redact, scrubText } from './redact.js';

export type AppLogger = Logger;

/** Where the log goes and in which form: JSON lines, or readable lines for a person at a terminal. */
export interface LogOutput {
  /** LOG_PRETTY: `auto`, `true` or `false`. */
  pretty: 'auto' | 'true' | 'false';
  nodeEnv: string;
  /** Whether standard output is a terminal (process.stdout.isTTY). */
  isTTY: boolean;
}

/** Readable lines when asked for, or, with `auto`, in development on a terminal; JSON lines otherwise (what log collectors read). */
export function prettyLogs(output: LogOutput): boolean {
  if (output.pretty !== 'auto') return output.pretty === 'true';
  return output.nodeEnv === 'development' && output.isTTY;
}

/** Readable lines on standard output: time, level, message, then the fields. */
function prettyStandardOutput(): DestinationStream {
  return pinoPretty({ destination: 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/**
 * Logs with redaction applied to every object and message, so a secret that
 * reaches a log call by mistake is still masked. JSON lines on standard
 * output unless `pretty` (see prettyLogs) or another destination is given.
 */
export function createLogger(level: string, destination?: DestinationStream, options: { pretty?: boolean } = {}): AppLogger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination ?? (options.pretty ? prettyStandardOutput() : pino.destination({ fd: 1, sync: false })),
  );
}

/** Nest's start-up lines that list every controller and route: detail for debugging, not news. */
const ROUTE_MAP_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/** Lets Nest's own messages (start-up, route mapping, errors) use the same log. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, context?: string): void {
    this.write(context !== undefined && ROUTE_MAP_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string, trace?: string): void {
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (trace && this.logger.isLevelEnabled('debug')) fields.stack = trace;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
