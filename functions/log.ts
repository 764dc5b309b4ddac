/**
 * Structured JSON logs, one line each, with the request id. Personal data never goes in: fields
 * whose names suggest it are replaced before writing, as a second line of defence behind the
 * rule that callers log ids and counts, not people.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const PERSONAL = /^(email|emails|address|to|from|name|message|body|recipients?|ip|userAgent|user_agent|token|phone)$/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(opts: { level?: LogLevel; base?: Record<string, unknown>; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return makeLogger(min, write, redact(opts.base ?? {}));
}

// A child per request is on every request's path: the base is redacted once, when it is made.
function makeLogger(min: number, write: (line: string) => void, base: Record<string, unknown>): Logger {
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...base, ...(fields ? redact(fields) : {}) }));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => makeLogger(min, write, { ...base, ...redact(fields) }),
  };
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (PERSONAL.test(k)) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = { name: v.name, code: (v as { code?: string }).code };
    else out[k] = v;
  }
  return out;
}

export const silentLogger: Logger = createLogger({ write: () => {} });
