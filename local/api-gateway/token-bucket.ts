/**
 * API Gateway's throttling algorithm: a bucket of `burst` tokens refilled at `ratePerSecond`;
 * a request takes one token or is refused with 429.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = Math.max(burst, 1);
  }

  tryTake(now = Date.now()): boolean {
    this.tokens = Math.min(Math.max(this.burst, 1), this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
