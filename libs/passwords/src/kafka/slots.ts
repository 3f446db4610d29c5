/** A counting semaphore: at most `size` holders; acquire() waits in FIFO order. */
export class Slots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  }

  get inUse(): number {
    return this.used;
  }

  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter, so `used` stays the same.
    if (next) next();
    else this.used = Math.max(0, this.used - 1);
  }
}
