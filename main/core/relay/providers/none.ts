import type { RelayProvider } from './types.ts';

/** No verification: every request is accepted as `unsigned`. */
export const none: RelayProvider = {
  id: 'none',
  needsJson: false,
  signatureHeaders: () => [],
  verify: () => ({ ok: true, verification: 'unsigned' }),
  sign: () => ({}),
  meta: () => ({ deliveryId: null, eventType: null }),
  generateSecret: () => null,
};
