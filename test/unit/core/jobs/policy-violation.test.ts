import { describe, expect, it } from 'vitest';
import { POLICY_VIOLATION, policyViolationOf } from '../../../../core/jobs/policy-violation';

describe("a worker's policy violation message", () => {
  it('is told apart from every other message and read as plain bounded text', () => {
    expect(policyViolationOf({ id: 'comlink-call', type: 'APPLY' })).toBeNull();
    expect(policyViolationOf(null)).toBeNull();
    expect(policyViolationOf({ [POLICY_VIOLATION]: 'x' })).toBeNull();
    const v = policyViolationOf({ [POLICY_VIOLATION]: { directive: 'connect-src', blockedURI: `https://x.example/${'a'.repeat(2000)}`, sourceFile: 7 } });
    expect(v?.directive).toBe('connect-src');
    expect(v?.blockedURI).toHaveLength(500);
    expect(v?.sourceFile).toBe('');
  });
});
