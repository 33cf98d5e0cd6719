import { NumberInput, Select, SimpleGrid, Switch, TagsInput, TextInput } from '@mantine/core';
import type { ToolParamSchema, ToolParamsSchema } from '../../../../preload/contract/tools.ts';
import { paramDefault, paramLabel } from './param-label.ts';

/**
 * A form for a tool's parameters, generated from the JSON Schema the core
 * publishes for it (tools.list). Values left empty are not sent, so the
 * tool's own defaults apply; the core validates whatever is sent.
 */
export function ToolParamsFields(props: {
  schema: ToolParamsSchema;
  value: Record<string, unknown>;
  onChange(v: Record<string, unknown>): void;
  errors?: Record<string, string>;
  /** Fields side by side in a wide form. */
  columns?: number;
}) {
  const entries = Object.entries(props.schema.properties ?? {});
  if (entries.length === 0) return null;
  const set = (k: string, v: unknown) => {
    const next = { ...props.value };
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[k];
    else next[k] = v;
    props.onChange(next);
  };
  return (
    <SimpleGrid cols={props.columns ?? 1} spacing="sm" verticalSpacing="xs">
      {entries.map(([key, s]) => (
        <ParamField key={key} name={key} schema={s} required={props.schema.required?.includes(key) ?? false} value={props.value[key]} onChange={(v) => set(key, v)} error={props.errors?.[key]} />
      ))}
    </SimpleGrid>
  );
}

function kindOf(s: ToolParamSchema): string {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  const alt = s.anyOf?.find((a) => a.type && a.type !== 'null');
  return alt ? kindOf(alt) : 'string';
}

function ParamField(props: { name: string; schema: ToolParamSchema; required: boolean; value: unknown; onChange(v: unknown): void; error?: string }) {
  const { name, schema: s } = props;
  const label = paramLabel(name);
  // The default stays said after a value is typed (a placeholder would vanish).
  const description = [s.description, paramDefault(s)].filter(Boolean).join(' · ') || undefined;
  const common = { label, description, required: props.required, error: props.error };
  const placeholder = s.default !== undefined ? `default: ${Array.isArray(s.default) ? s.default.join(', ') : String(s.default)}` : undefined;
  const kind = kindOf(s);
  if (s.enum) {
    return (
      <Select {...common} placeholder={placeholder} clearable data={s.enum.map(String)} value={props.value === undefined ? null : String(props.value)} onChange={(v) => props.onChange(v ?? undefined)} />
    );
  }
  if (kind === 'boolean') {
    return <Switch label={label} description={description} checked={Boolean(props.value ?? s.default)} onChange={(e) => props.onChange(e.currentTarget.checked)} />;
  }
  if (kind === 'integer' || kind === 'number') {
    return (
      <NumberInput
        {...common}
        placeholder={placeholder}
        min={s.minimum}
        max={s.maximum}
        allowDecimal={kind === 'number'}
        value={typeof props.value === 'number' ? props.value : ''}
        onChange={(v) => props.onChange(typeof v === 'number' ? v : undefined)}
      />
    );
  }
  if (kind === 'array') {
    return (
      <TagsInput
        {...common}
        placeholder={placeholder ?? 'Type and press Enter'}
        value={Array.isArray(props.value) ? props.value.map(String) : []}
        onChange={(v) => props.onChange(v)}
        splitChars={[',', ' ']}
        clearable
      />
    );
  }
  return <TextInput {...common} placeholder={placeholder} value={typeof props.value === 'string' ? props.value : ''} onChange={(e) => props.onChange(e.currentTarget.value)} />;
}
