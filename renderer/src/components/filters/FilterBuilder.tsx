import { ActionIcon, Alert, Button, Group, MultiSelect, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { OPERATORS_BY_TYPE } from '../../../../preload/contract/filters.ts';
import { filterField, type FilterList } from '../../../../preload/contract/filter-fields.ts';
import { canNest, fieldsOf, newCondition, newGroup, opLabel, updateNode, type DraftCondition, type DraftGroup, type DraftNode } from './draft.ts';

interface Props {
  list: FilterList;
  draft: DraftGroup;
  onChange: (d: DraftGroup) => void;
  issues: string[];
}

/**
 * The builder lives in a Popover that closes on a click outside it. A Select's options render in a
 * portal by default, i.e. outside the popover, so picking one with the mouse closed the filter;
 * every dropdown here renders in place instead.
 */
const IN_PLACE = { withinPortal: false } as const;

/** The filter builder: conditions (field, operator, a value input fitting the type) in AND/OR groups. */
export function FilterBuilder({ list, draft, onChange, issues }: Props) {
  const edit = (k: string, fn: (n: DraftNode) => DraftNode | null) => onChange(updateNode(draft, k, fn));
  return (
    <Stack gap="xs">
      <GroupEditor list={list} group={draft} depth={1} path="" edit={edit} root />
      {issues.length > 0 && (
        <Alert color="red" py={6} role="alert">
          {issues[0]}
        </Alert>
      )}
    </Stack>
  );
}

function GroupEditor(props: {
  list: FilterList;
  group: DraftGroup;
  depth: number;
  path: string;
  edit: (k: string, fn: (n: DraftNode) => DraftNode | null) => void;
  root?: boolean;
}) {
  const { list, group, depth, path, edit, root } = props;
  const name = root ? 'filter' : `group ${path}`;
  const add = (n: DraftNode) => edit(group.key, (g) => ({ ...(g as DraftGroup), children: [...(g as DraftGroup).children, n] }));
  return (
    <Paper
      withBorder={!root}
      p={root ? 0 : 'xs'}
      radius="sm"
      bg={root ? undefined : 'var(--mantine-color-default-hover)'}
      role="group"
      aria-label={root ? 'Filter conditions' : `Group ${path}`}
    >
      <Stack gap={6}>
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              Match
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={`Match all or any in ${name}`}
              data={[
                { value: 'and', label: 'all (AND)' },
                { value: 'or', label: 'any (OR)' },
              ]}
              value={group.mode}
              onChange={(v) => edit(group.key, (g) => ({ ...(g as DraftGroup), mode: v as 'and' | 'or' }))}
            />
          </Group>
          {!root && (
            <ActionIcon variant="subtle" color="red" aria-label={`Remove group ${path}`} onClick={() => edit(group.key, () => null)}>
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
        {group.children.length === 0 && (
          <Text size="sm" c="dimmed">
            No conditions yet.
          </Text>
        )}
        {group.children.map((c, i) => {
          const p = path ? `${path}.${i + 1}` : `${i + 1}`;
          return c.kind === 'group' ? (
            <GroupEditor key={c.key} list={list} group={c} depth={depth + 1} path={p} edit={edit} />
          ) : (
            <ConditionRow key={c.key} list={list} c={c} path={p} edit={edit} />
          );
        })}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => add(newCondition(list))}
            aria-label={`Add condition to ${name}`}
          >
            Add condition
          </Button>
          {canNest(depth) && (
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              onClick={() => add(newGroup(group.mode === 'and' ? 'or' : 'and', [newCondition(list)]))}
              aria-label={`Add group to ${name}`}
            >
              Add group
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function ConditionRow(props: { list: FilterList; c: DraftCondition; path: string; edit: (k: string, fn: (n: DraftNode) => DraftNode | null) => void }) {
  const { list, c, path, edit } = props;
  const f = filterField(list, c.field) ?? fieldsOf(list)[0]!;
  const set = (patch: Partial<DraftCondition>) => edit(c.key, (n) => ({ ...(n as DraftCondition), ...patch }));
  const ops = OPERATORS_BY_TYPE[f.type] as readonly string[];
  const label = (what: string) => `${what} ${path}`;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Select
        size="xs"
        w={170}
        aria-label={label('Field')}
        data={fieldsOf(list).map((x) => ({ value: x.name, label: x.label }))}
        value={f.name}
        allowDeselect={false}
        comboboxProps={IN_PLACE}
        onChange={(v) => {
          const nf = v ? filterField(list, v) : undefined;
          if (!nf) return;
          // A new field type resets operator and value: "contains 200" means nothing for a date.
          set(
            nf.type === f.type
              ? { field: nf.name, ...(nf.type === 'select' ? { value: '', values: [] } : {}) }
              : { field: nf.name, op: OPERATORS_BY_TYPE[nf.type][0], value: '', value2: '', values: [] },
          );
        }}
      />
      <Select
        size="xs"
        w={120}
        aria-label={label('Operator')}
        data={ops.map((o) => ({ value: o, label: opLabel(o) }))}
        value={c.op}
        allowDeselect={false}
        comboboxProps={IN_PLACE}
        onChange={(v) => v && set({ op: v })}
      />
      <ValueInput field={f} c={c} set={set} label={label('Value')} />
      <ActionIcon variant="subtle" color="gray" mt={2} aria-label={label('Remove condition')} onClick={() => edit(c.key, () => null)}>
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

function ValueInput(props: { field: ReturnType<typeof fieldsOf>[number]; c: DraftCondition; set: (p: Partial<DraftCondition>) => void; label: string }) {
  const { field: f, c, set, label } = props;
  if (f.type === 'select') {
    const data = [...(f.options ?? [])];
    return c.op === 'is_any_of' ? (
      <MultiSelect
        size="xs"
        style={{ flex: 1 }}
        aria-label={label}
        data={data}
        value={c.values}
        onChange={(v) => set({ values: v })}
        searchable
        placeholder="Pick values"
        comboboxProps={IN_PLACE}
      />
    ) : (
      <Select
        size="xs"
        style={{ flex: 1 }}
        aria-label={label}
        data={data}
        value={c.value || null}
        onChange={(v) => set({ value: v ?? '' })}
        searchable
        placeholder="Pick a value"
        comboboxProps={IN_PLACE}
      />
    );
  }
  if (f.type === 'date') {
    return c.op === 'between' ? (
      <Group gap={4} wrap="nowrap" style={{ flex: 1 }}>
        <TextInput
          size="xs"
          type="date"
          aria-label={`${label} from`}
          value={c.value}
          onChange={(e) => set({ value: e.currentTarget.value })}
          style={{ flex: 1 }}
        />
        <TextInput
          size="xs"
          type="date"
          aria-label={`${label} to`}
          value={c.value2}
          onChange={(e) => set({ value2: e.currentTarget.value })}
          style={{ flex: 1 }}
        />
      </Group>
    ) : (
      <TextInput size="xs" type="date" aria-label={label} value={c.value} onChange={(e) => set({ value: e.currentTarget.value })} style={{ flex: 1 }} />
    );
  }
  return (
    <TextInput
      size="xs"
      style={{ flex: 1 }}
      aria-label={label}
      type={f.type === 'number' ? 'number' : 'text'}
      placeholder={f.type === 'number' ? 'Number' : 'Text'}
      value={c.value}
      onChange={(e) => set({ value: e.currentTarget.value })}
    />
  );
}
