import { Badge } from '@mantine/core';
import type { RelayForwardState, RelayVerification } from '../../../../preload/contract/relay.ts';

export function StatusBadge({ status }: { status: number }) {
  const color = status < 300 ? 'green' : status < 400 ? 'blue' : status < 500 ? 'orange' : 'red';
  return (
    <Badge color={color} variant="light" aria-label={`Status ${status}`}>
      {status}
    </Badge>
  );
}

const VERIFICATION: Record<RelayVerification, { color: string; label: string }> = {
  verified: { color: 'green', label: 'verified' },
  unsigned: { color: 'gray', label: 'unsigned' },
  invalid_signature: { color: 'red', label: 'invalid signature' },
  stale_timestamp: { color: 'orange', label: 'stale timestamp' },
  skipped: { color: 'gray', label: 'not checked' },
};

export function VerificationBadge({ v }: { v: RelayVerification }) {
  const s = VERIFICATION[v];
  return (
    <Badge color={s.color} variant="outline" size="sm">
      {s.label}
    </Badge>
  );
}

export function ForwardBadge({ state }: { state: RelayForwardState | null }) {
  if (!state) return null;
  const color = state === 'delivered' ? 'green' : state === 'failed' ? 'red' : 'yellow';
  return (
    <Badge color={color} variant="dot" size="sm">
      forward {state}
    </Badge>
  );
}
