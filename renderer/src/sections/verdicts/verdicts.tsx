import { ActionIcon, Badge, Group, Menu, Tooltip } from '@mantine/core';
import { IconCheck, IconDotsVertical, IconBan, IconX } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { EntityVerdict } from '../../../../preload/contract/verdicts.ts';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';

/** The verdicts that apply to an investigation's entities, by entity id (given here or remembered from another investigation). */
export function useVerdicts(investigationId: string): Map<string, EntityVerdict> {
  const q = useCall('verdicts.forInvestigation', { investigationId });
  useInvalidateOn(['verdicts.changed'], ['verdicts.forInvestigation']);
  return useMemo(() => new Map((q.data ?? []).map((v) => [v.appliesTo, v])), [q.data]);
}

export function VerdictBadge({ verdict }: { verdict: EntityVerdict }) {
  const fp = verdict.verdict === 'false_positive';
  const why = [verdict.inherited ? 'remembered from another investigation' : null, verdict.note || null].filter(Boolean).join(' · ');
  const badge = (
    <Badge color={fp ? 'gray' : 'teal'} variant={fp ? 'outline' : 'light'} size="sm" tt="none">
      {fp ? 'false positive' : 'confirmed'}
    </Badge>
  );
  return why ? <Tooltip label={why}>{badge}</Tooltip> : badge;
}

/** Confirm, mark false positive or clear: from the entity table and the details panel. */
export function VerdictControl({ entityId, label, verdict }: { entityId: string; label: string; verdict: EntityVerdict | undefined }) {
  const opts = { invalidates: ['verdicts.forInvestigation', 'watches.diff'] as const };
  const set = useAction('verdicts.set', { invalidates: [...opts.invalidates], success: (v) => (v.verdict === 'false_positive' ? `Marked false positive${v.scope === 'site-username' ? ` for ${v.site} / ${v.username} everywhere` : ''}` : 'Marked confirmed') });
  const clear = useAction('verdicts.clear', { invalidates: [...opts.invalidates], success: 'Verdict removed' });
  return (
    <Group gap={4} wrap="nowrap">
      {verdict && <VerdictBadge verdict={verdict} />}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" size="sm" aria-label={`Verdict on ${label}`}>
            <IconDotsVertical size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconCheck size={14} />} onClick={() => set.mutate({ entityId, verdict: 'confirmed' })}>
            Confirm
          </Menu.Item>
          <Menu.Item leftSection={<IconBan size={14} />} onClick={() => set.mutate({ entityId, verdict: 'false_positive' })}>
            Mark false positive
          </Menu.Item>
          {verdict && (
            <Menu.Item leftSection={<IconX size={14} />} onClick={() => clear.mutate({ entityId })}>
              Clear verdict
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
