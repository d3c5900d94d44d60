import { TokenBucket } from '../../local/api-gateway/token-bucket';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Takes tokens from `bucket` at `now` until one is refused; returns how many it gave. */
function drain(bucket: TokenBucket, now: number): number {
  let taken = 0;
  while (bucket.tryTake(now)) taken += 1;
  return taken;
}

describe('TokenBucket (API Gateway throttling)', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('GIVEN a new bucket WHEN requests arrive at once THEN exactly `burst` of them are admitted', () => {
    expect(drain(new TokenBucket(10, 5), T0)).toBe(5);
  });

  it('GIVEN an empty bucket WHEN time passes THEN it refills at the rate, one request per 1/rate seconds', () => {
    const bucket = new TokenBucket(4, 4);
    drain(bucket, T0);
    expect(bucket.tryTake(T0 + 200)).toBe(false); // 0.8 of a token
    expect(bucket.tryTake(T0 + 250)).toBe(true); // 1 token
    expect(bucket.tryTake(T0 + 250)).toBe(false);
    expect(drain(bucket, T0 + 750)).toBe(2);
  });

  it('GIVEN a long idle time WHEN requests arrive THEN the bucket holds no more than `burst` tokens', () => {
    const bucket = new TokenBucket(100, 3);
    drain(bucket, T0);
    expect(drain(bucket, T0 + 60_000)).toBe(3);
  });

  it('GIVEN fractions of a token earned across refused requests WHEN they add up THEN a request is admitted', () => {
    const bucket = new TokenBucket(2, 1);
    drain(bucket, T0);
    expect(bucket.tryTake(T0 + 300)).toBe(false); // 0.6
    expect(bucket.tryTake(T0 + 500)).toBe(true); // 0.6 + 0.4
  });

  it('GIVEN a burst of 0 WHEN a request arrives THEN one is still admitted (API Gateway treats it as 1)', () => {
    const bucket = new TokenBucket(1, 0);
    expect(bucket.tryTake(T0)).toBe(true);
    expect(bucket.tryTake(T0)).toBe(false);
    expect(bucket.tryTake(T0 + 1000)).toBe(true);
  });
});
