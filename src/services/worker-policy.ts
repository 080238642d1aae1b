/**
 * Raises in the page the Content-Security-Policy violations a worker passes on (`core/jobs/policy-violation.ts`),
 * as the same `securitypolicyviolation` event the page's own violations are: one place watches them all.
 */
import { policyViolationOf } from '../../core/jobs/policy-violation';

export function raisePolicyViolations(worker: Pick<Worker, 'addEventListener'>): void {
  if (typeof document === 'undefined' || typeof SecurityPolicyViolationEvent === 'undefined') return;
  worker.addEventListener('message', (e: MessageEvent) => {
    const v = policyViolationOf(e.data);
    if (!v) return;
    document.dispatchEvent(
      new SecurityPolicyViolationEvent('securitypolicyviolation', {
        violatedDirective: v.directive,
        effectiveDirective: v.directive,
        blockedURI: v.blockedURI,
        sourceFile: v.sourceFile,
        documentURI: location.href,
        originalPolicy: '',
        disposition: 'enforce',
        statusCode: 0,
        sample: 'worker',
      }),
    );
  });
}
