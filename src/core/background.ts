/**
 * Work that finishes after the response: sending account mails, so that an answer about an
 * unknown address takes as long as one about a known address (nothing is looked up or sent
 * while the client waits). A failure is logged, never thrown at a request that already
 * answered. `idle()` lets shutdown (and tests) wait until everything started has finished.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly onError: (error: unknown) => void = (error) =>
      console.error("keyward: background task failed", error),
  ) {}

  /** Starts `job` without waiting for it. */
  run(job: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(job)
      .catch(this.onError)
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once every job started so far (and any they started) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
