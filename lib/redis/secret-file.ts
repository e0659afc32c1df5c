import "server-only";
/**
 * A password in a mounted file (a Kubernetes secret, a Docker secret): read at start, re-read
 * when the file changes, so a rotated secret is used from the next connect on. Kubernetes swaps
 * a symlink, so a change is a new inode, mtime or size, checked at most once a second.
 */
import fs from "node:fs";

const CHECK_EVERY_MS = 1000;

export class SecretFile {
  private value: string;
  private stamp: string;
  private checkedAt = 0;

  /** Throws (with `field` in the message) when the file cannot be read: a start must not go on without its secret. */
  constructor(
    readonly path: string,
    field: string,
  ) {
    try {
      this.stamp = SecretFile.stampOf(path);
      this.value = SecretFile.read(path);
    } catch (err) {
      throw new Error(`${field}: cannot read the password file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }

  /** The current password; a file that became unreadable keeps the last value (a secret being swapped). */
  current(now = Date.now()): string {
    if (now - this.checkedAt < CHECK_EVERY_MS) return this.value;
    this.checkedAt = now;
    try {
      const stamp = SecretFile.stampOf(this.path);
      if (stamp !== this.stamp) {
        this.value = SecretFile.read(this.path);
        this.stamp = stamp;
      }
    } catch {
      /* keep the last good value */
    }
    return this.value;
  }

  private static stampOf(p: string): string {
    const s = fs.statSync(p);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  }

  /** The file's content without the trailing newline that `echo` and editors add. */
  private static read(p: string): string {
    return fs.readFileSync(p, "utf8").replace(/\r?\n$/, "");
  }
}

const files = new Map<string, SecretFile>();

/** One reader per path for the whole process, however many clients use it. */
export function secretFile(path: string, field: string): SecretFile {
  let f = files.get(path);
  if (!f) {
    f = new SecretFile(path, field);
    files.set(path, f);
  }
  return f;
}
