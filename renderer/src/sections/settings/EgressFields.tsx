import { Code, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { TOR_PRESET, type Egress } from '../../../../preload/contract/egress.ts';
import { useCall } from '../../api/hooks.ts';

/**
 * Choosing an egress (SPEC §3.11): direct, an HTTP(S) proxy, SOCKS5, or the
 * Tor preset, with the proxy address and a vault credential. Settings → Egress
 * uses it for the global default; the New batch dialog for the batch's own
 * egress, with "Settings" (inherit) first.
 */

export type EgressChoice = 'inherit' | 'direct' | 'http' | 'https' | 'socks5' | 'tor';

export interface EgressDraft {
  mode: EgressChoice;
  host: string;
  port: number | string;
  credential: string | null;
}

export const INHERIT_DRAFT: EgressDraft = { mode: 'inherit', host: '', port: '', credential: null };

const LABELS: Record<EgressChoice, string> = {
  inherit: 'Settings',
  direct: 'Direct',
  http: 'HTTP proxy',
  https: 'HTTPS proxy',
  socks5: 'SOCKS5',
  tor: 'Tor',
};

export function draftOf(e: Egress | undefined): EgressDraft {
  if (!e) return INHERIT_DRAFT;
  if (e.mode === 'direct') return { mode: 'direct', host: '', port: '', credential: null };
  const tor = e.mode === 'socks5' && e.host === TOR_PRESET.host && e.port === TOR_PRESET.port && !e.credential;
  return { mode: tor ? 'tor' : e.mode, host: e.host, port: e.port, credential: e.credential ?? null };
}

/** The egress the draft describes; undefined for "Settings" (inherit). */
export function egressOf(d: EgressDraft): Egress | undefined {
  if (d.mode === 'inherit') return undefined;
  if (d.mode === 'direct') return { mode: 'direct' };
  if (d.mode === 'tor') return { ...TOR_PRESET };
  return { mode: d.mode, host: d.host.trim(), port: Number(d.port), ...(d.credential ? { credential: d.credential } : {}) };
}

/** A proxy mode without its host or port. */
export function draftIncomplete(d: EgressDraft): boolean {
  return needsAddress(d.mode) && (!d.host.trim() || !Number(d.port));
}

function needsAddress(m: EgressChoice): boolean {
  return m === 'http' || m === 'https' || m === 'socks5';
}

export function EgressFields(props: {
  value: EgressDraft;
  onChange(d: EgressDraft): void;
  /** Offer "Settings" first: the batch or tool takes its egress from the settings. */
  inherit?: boolean;
  /** What "Settings" currently means, shown beside it (e.g. "direct"). */
  inheritedLabel?: string;
  label?: string;
}) {
  const { value: d, onChange } = props;
  const credentials = useCall('credentials.list', {});
  const modes: EgressChoice[] = [...(props.inherit ? (['inherit'] as const) : []), 'direct', 'http', 'https', 'socks5', 'tor'];
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={props.label ?? 'Egress mode'}
        value={d.mode}
        onChange={(v) => onChange({ ...d, mode: v as EgressChoice })}
        data={modes.map((m) => ({ value: m, label: LABELS[m] }))}
        w="fit-content"
      />
      {d.mode === 'inherit' && props.inheritedLabel && (
        <Text size="sm" c="dimmed">
          From the settings (per tool, else the default): now <Code>{props.inheritedLabel}</Code>.
        </Text>
      )}
      {needsAddress(d.mode) && (
        <Group align="flex-end" gap="sm">
          <TextInput label="Proxy host" placeholder="127.0.0.1" value={d.host} onChange={(e) => onChange({ ...d, host: e.currentTarget.value })} w={220} />
          <NumberInput
            label="Proxy port"
            placeholder={d.mode === 'socks5' ? '1080' : '3128'}
            value={d.port}
            onChange={(port) => onChange({ ...d, port })}
            min={1}
            max={65535}
            allowDecimal={false}
            w={130}
          />
          <Select
            label="Credential (user:password)"
            placeholder={credentials.isPending ? 'Loading…' : 'None'}
            data={(credentials.data ?? []).map((c) => c.name)}
            value={d.credential}
            onChange={(credential) => onChange({ ...d, credential })}
            clearable
            w={240}
          />
        </Group>
      )}
      {d.mode === 'tor' && (
        <Text size="sm">
          Tor’s SOCKS port on this machine, <Code>socks5h://127.0.0.1:9050</Code> (Tor Browser uses 9150: choose SOCKS5 for it).
        </Text>
      )}
    </Stack>
  );
}
