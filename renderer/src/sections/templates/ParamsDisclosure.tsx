import { Anchor, Collapse, Stack } from '@mantine/core';
import { useState } from 'react';
import type { ToolInfo } from '../../../../preload/contract/tools.ts';
import { ToolParamsFields } from '../batches/ToolParamsFields.tsx';

/** Tool parameters folded away until wanted: most steps run with the defaults. */
export function ParamsDisclosure(props: { schema: ToolInfo['paramsSchema']; value: Record<string, unknown>; onChange(v: Record<string, unknown>): void }) {
  const set = Object.keys(props.value).length;
  const [open, setOpen] = useState(set > 0);
  if (Object.keys(props.schema.properties ?? {}).length === 0) return null;
  return (
    <Stack gap="xs">
      <Anchor component="button" type="button" size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open} w="fit-content">
        {open ? 'Hide parameters' : set ? `Parameters (${set} set)` : 'Parameters (defaults)'}
      </Anchor>
      <Collapse expanded={open}>
        <ToolParamsFields schema={props.schema} value={props.value} onChange={props.onChange} columns={3} />
      </Collapse>
    </Stack>
  );
}
