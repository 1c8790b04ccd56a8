// Work the background starts and does not wait for (checks, storage writes, badge updates): each
// is tracked, so a failure is logged rather than lost as an unhandled rejection, and tests can
// wait until everything started so far has finished.
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: (message: string) => void = () => {}) {}

  track(task: Promise<unknown>): void {
    const tracked = task.then(
      () => {},
      (err: unknown) =>
        this.log(`background task failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /** A storage or badge write: failing is expected now and then (a tab that just closed). */
  persist(write: Promise<unknown>): void {
    this.track(write.catch((err: unknown) => this.log(`storage/badge update failed: ${String(err)}`)));
  }

  /** Resolves when every task tracked so far, and every task they started, has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
