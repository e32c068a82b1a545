/** What a simulator logs with: the server's pino logger, or the console in a test. */
export interface SimulatorLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
}
