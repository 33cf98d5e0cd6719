import { Anchor, Collapse, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ToolInfo } from '../../../../preload/contract/tools.ts';
import { ToolParamsFields } from '../batches/ToolParamsFields.tsx';

/** Tool parameters folded away until wanted: most steps run with the defaults. */
export function ParamsDisclosure(props: {
  schema: ToolInfo['paramsSchema'];
  value: Record<string, unknown>;
  errors?: Record<string, string>;
  onChange(v: Record<string, unknown>): void;
}) {
  const set = Object.keys(props.value).length;
  const [open, setOpen] = useState(set > 0);
  const errors = props.errors ?? {};
  const failing = Object.keys(errors).length > 0;
  // A refused parameter must be visible: unfold when the core names one.
  useEffect(() => {
    if (failing) setOpen(true);
  }, [failing]);
  if (Object.keys(props.schema.properties ?? {}).length === 0) return null;
  return (
    <Stack gap="xs">
      <Anchor component="button" type="button" size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open} w="fit-content">
        {open ? 'Hide parameters' : set ? `Parameters (${set} set)` : 'Parameters (defaults)'}
      </Anchor>
      <Collapse expanded={open}>
        {errors._params && (
          <Text size="sm" c="red" role="alert" mb="xs">
            {errors._params}
          </Text>
        )}
        <ToolParamsFields schema={props.schema} value={props.value} errors={errors} onChange={props.onChange} columns={3} />
      </Collapse>
    </Stack>
  );
}
