/**
 * Calls made for one key run one after the other, in the order they were made, and a call made
 * after a failed one fails with it (it was made counting on that one). Once a key's last call has
 * settled, the next call for it starts afresh.
 */
export class InCallOrder {
  private readonly last = new Map<string, Promise<void>>();

  run(key: string, call: () => Promise<void>): Promise<void> {
    const done = (this.last.get(key) ?? Promise.resolve()).then(call);
    this.last.set(key, done);
    const settled = () => {
      if (this.last.get(key) === done) this.last.delete(key);
    };
    done.then(settled, settled);
    return done;
  }
}
