// Starting and stopping the language server one at a time: a restart asked for while another runs
// waits for it instead of starting a second server beside it, and the requests that arrive while
// one is waiting are answered by that same one (a burst of setting changes restarts once more, not
// once per change).

export class Serial {
  private tail: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;

  /** Runs `op` after everything queued before it. A failing `op` does not stop later ones. */
  run(op: () => Promise<void>): Promise<void> {
    const mine = this.tail.then(op);
    this.tail = mine.catch(() => undefined);
    return mine;
  }

  /** Like `run`, but while an earlier `coalesce` call has not begun yet, returns that one instead
   * of queuing another. */
  coalesce(op: () => Promise<void>): Promise<void> {
    if (this.waiting) {
      return this.waiting;
    }
    const mine: Promise<void> = this.run(() => {
      this.waiting = undefined;
      return op();
    });
    this.waiting = mine;
    return mine;
  }
}
