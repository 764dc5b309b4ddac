import { describe, expect, it } from 'vitest';
import { dueState } from '../../functions/use-cases/inquiry-overview';

/** How the console marks an inquiry's due date (beside the date, in words). */
describe('dueState', () => {
  const now = new Date('2026-12-01T09:00:00.000Z');
  it('is overdue once the due instant has passed, and due soon within 7 days of it', () => {
    expect(dueState({ status: 'received', dueAt: '2026-12-01T08:59:59.999Z' }, now)).toBe('overdue');
    expect(dueState({ status: 'in-progress', dueAt: '2026-12-01T09:00:00.000Z' }, now)).toBe('due-soon');
    expect(dueState({ status: 'received', dueAt: '2026-12-08T09:00:00.000Z' }, now)).toBe('due-soon');
    expect(dueState({ status: 'received', dueAt: '2026-12-08T09:00:00.001Z' }, now)).toBeUndefined();
  });
  it('marks nothing for a closed or unverified inquiry, whatever its date', () => {
    expect(dueState({ status: 'completed', dueAt: '2026-11-01T00:00:00.000Z' }, now)).toBeUndefined();
    expect(dueState({ status: 'rejected', dueAt: '2026-11-01T00:00:00.000Z' }, now)).toBeUndefined();
    expect(dueState({ status: 'unverified' }, now)).toBeUndefined();
  });
});
