// Logger interface: connectors log through this; the runner backs it with protocol LOG messages.
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Collects log lines in memory; for tests. */
export function memoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => { lines.push({ level, message }); };
  return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}
