import { JOB_KEYS } from '../../lambda/contract/job-table';
import { decodeCursor, encodeCursor } from '../../lambda/domain/cursor';

describe('list cursor', () => {
  it('round-trips <creationTimeMs>_<id>', () => {
    // GIVEN the position of a job
    const cursor = { creationTime: 1538573416687, id: 722 };
    // WHEN it is encoded and decoded
    const text = encodeCursor(cursor);
    // THEN it is the documented text and decodes to the same position
    expect(text).toBe('1538573416687_722');
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    '',
    'abc',
    '123',
    '_5',
    '5_',
    '12_0',
    '12_-3',
    '1.5_2',
    '12_3_4',
    '1234567890123456_1',
    '1_12345678901234567',
  ])('refuses the malformed cursor %j', (text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });

  it('orders keys like (creationTime, id) so DynamoDB can range over them', () => {
    // GIVEN positions whose numeric order differs from their unpadded text order
    const positions = [
      { creationTime: 9, id: 10 },
      { creationTime: 10, id: 2 },
      { creationTime: 10, id: 11 },
      { creationTime: 100, id: 1 },
    ];
    // WHEN their order keys are sorted as strings
    const sorted = [...positions].sort((a, b) => (JOB_KEYS.createdOrder(a) < JOB_KEYS.createdOrder(b) ? -1 : 1));
    // THEN the order is the numeric order of (creationTime, id)
    expect(sorted).toEqual(positions);
  });
});
