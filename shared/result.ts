/** The envelope every call crosses a process boundary in (IPC, console WebSocket). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export interface WireError {
  code: number;
  message: string;
}
