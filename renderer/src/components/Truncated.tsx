import { Box, Tooltip } from '@mantine/core';
import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';

const ONE_LINE: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 };

/**
 * One line cut with an ellipsis, the whole value in a tooltip when (and only when) it was cut: one 200-character name
 * must not push every other column off screen. Inside a table, put it in a cell with `TRUNCATING_CELL`.
 */
export function Truncated({ text, children, maw }: { text: string; children?: ReactNode; maw?: number | string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [cut, setCut] = useState(false);
  // Measured before the pointer arrives (the tooltip decides on enter) and again whenever the width changes.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setCut(el.scrollWidth > el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [text]);
  return (
    <Tooltip label={text} disabled={!cut} multiline maw={520} openDelay={250} style={{ wordBreak: 'break-word' }}>
      <Box ref={ref} style={ONE_LINE} maw={maw} data-truncated={cut || undefined}>
        {children ?? text}
      </Box>
    </Tooltip>
  );
}

/** A table cell that takes the width left over and lets its content shrink (auto table layout sizes to content otherwise). */
export const TRUNCATING_CELL: CSSProperties = { maxWidth: 0, width: '100%' };
