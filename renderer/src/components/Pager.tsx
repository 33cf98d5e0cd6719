import { Group, Pagination, Text } from '@mantine/core';

const CONTROL_LABELS = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' } as const;

/**
 * "1–25 of 120" and the page buttons under a paged list. `page` is 1-based.
 * Renders nothing for an empty list; the buttons only when there is more than one page.
 * `capped`: the list counted only so far ("of 500+"); the next pages appear as the user goes on.
 */
export function Pager({
  label,
  page,
  pageSize,
  total,
  capped = false,
  onChange,
}: {
  label: string;
  page: number;
  pageSize: number;
  total: number;
  capped?: boolean;
  onChange: (page: number) => void;
}) {
  if (total <= 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" aria-live="polite">
        {`${((page - 1) * pageSize + 1).toLocaleString()}–${Math.min(page * pageSize, total).toLocaleString()} of ${total.toLocaleString()}${capped ? '+' : ''}`}
      </Text>
      {pages > 1 && (
        <nav aria-label={label}>
          <Pagination
            total={pages}
            value={page}
            onChange={onChange}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': CONTROL_LABELS[control] })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}`, 'aria-current': p === page ? 'page' : undefined })}
          />
        </nav>
      )}
    </Group>
  );
}
