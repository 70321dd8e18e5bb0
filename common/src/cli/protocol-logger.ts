// A Logger that prints protocol LOG messages through the emitter (redacted by the emitter).
import type { Logger } from '../logger.js';
import type { Emitter } from '../protocol/emitter.js';
import { logMessage } from '../protocol/messages.js';
import type { LogLevel } from '../protocol/types.js';

export function protocolLogger(emitter: Emitter, debug = false): Logger {
  const at = (level: LogLevel) => (message: string) => { void emitter.emit(logMessage(level, message)); };
  return { debug: debug ? at('DEBUG') : () => {}, info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}
