/**
 * Small typed readers over an environment map. Each reader names the variable
 * in its error so a bad value stops the start with one clear line.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

interface NumberOptions {
  default: number;
  min?: number;
  max?: number;
}

export class EnvReader {
  constructor(private readonly source: EnvSource) {}

  /** The raw value, with empty strings treated as unset. */
  raw(name: string): string | undefined {
    const value = this.source[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  integer(name: string, options: NumberOptions): number {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (!/^-?\d+$/.test(value)) {
      throw new ConfigError(`${name} must be an integer (got "${value}")`);
    }
    return this.checkRange(name, Number(value), options);
  }

  /** A decimal number such as 12.5 (amounts of money, with cents). */
  decimal(name: string, options: NumberOptions): number {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (!/^-?\d+(?:\.\d+)?$/.test(value)) {
      throw new ConfigError(`${name} must be a number such as 12 or 12.5 (got "${value}")`);
    }
    return this.checkRange(name, Number(value), options);
  }

  /** A size in bytes: a number with an optional unit b, kb, mb or gb. */
  byteSize(name: string, fallback: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value);
    if (!match) throw new ConfigError(`${name} must be a size like 1048576, 512kb or 20mb (got "${value}")`);
    const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
    const bytes = Math.floor(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
    if (bytes < 1) throw new ConfigError(`${name} must be at least 1 byte`);
    return bytes;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const normalized = value.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
    if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
    throw new ConfigError(`${name} must be true or false (got "${value}")`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    }
    return value as T;
  }

  list(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  url(name: string, fallback?: string): string | undefined {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) return undefined;
    try {
      new URL(value);
    } catch {
      throw new ConfigError(`${name} must be a valid URL`);
    }
    return value;
  }

  private checkRange(name: string, value: number, options: NumberOptions): number {
    if (options.min !== undefined && value < options.min) {
      throw new ConfigError(`${name} must be at least ${options.min} (got ${value})`);
    }
    if (options.max !== undefined && value > options.max) {
      throw new ConfigError(`${name} must be at most ${options.max} (got ${value})`);
    }
    return value;
  }
}
