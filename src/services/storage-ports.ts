/**
 * What the HTTP layer needs to know of the storage behind the use cases, without knowing which
 * storage it is (issue #12: http/ does not import db/): whether it is ready, whether an error
 * means "the storage cannot work now" (503) rather than a bug (500), and how to close it.
 */
export interface StorageHealth {
  /** Ready while a write commits (a full disk or a read-only file turns it false until writes succeed again). */
  readiness(): Promise<{ readonly ok: boolean; readonly detail: string }>;
  /** An error of the storage itself (full disk, I/O error, lock, closed database): answered 503, never a crash. */
  isFailure(error: unknown): boolean;
  /** Stops the outbound loops, commits what is queued and closes the storage (the app's onClose). */
  close(): Promise<void>;
}
