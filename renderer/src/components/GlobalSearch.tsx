import { useState } from 'react';
import { Badge, Button, Group, Kbd, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useHotkeys, useOs } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { SearchHit } from '../../../preload/contract/search.ts';
import { useCall } from '../api/hooks.ts';
import { ErrorState } from './States.tsx';
import { EntityTypeBadge } from '../sections/investigations/entities/EntityTypeBadge.tsx';

/** Where a hit opens: its investigation's graph, with the entity selected (GraphTab reads `select`). */
export const entityHref = (h: { investigationId: string; id: string }) => `/investigations/${h.investigationId}/graph?select=${encodeURIComponent(h.id)}`;

/** The global full-text search (Ctrl/Cmd+K): ranked hits with highlighted snippets. */
export function GlobalSearch() {
  const [opened, setOpened] = useState(false);
  const os = useOs();
  const mod = os === 'macos' ? '⌘' : 'Ctrl';
  useHotkeys([['mod+K', () => setOpened(true)]], []);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconSearch size={14} />}
        rightSection={
          <Kbd size="xs">
            {mod}+K
          </Kbd>
        }
        onClick={() => setOpened(true)}
        aria-label="Search everything"
        w={260}
        justify="space-between"
        styles={{ label: { flex: 1, justifyContent: 'flex-start' } }}
      >
        <Text size="xs" c="dimmed">
          Search entities and evidence…
        </Text>
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Search" size="xl" yOffset="8vh" closeButtonProps={{ 'aria-label': 'Close search' }}>
        {opened && <SearchPanel onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function SearchPanel({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 200);
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const q = useCall('search.query', { text: debounced, limit: 20 }, { enabled: debounced.length > 0, placeholderData: keepPreviousData });
  const hits = debounced ? (q.data?.hits ?? []) : [];
  const open = (h: SearchHit) => {
    onDone();
    void navigate(entityHref(h.entity));
  };
  return (
    <Stack gap="sm">
      <TextInput
        aria-label="Search text"
        placeholder="A value, a name, a word from a profile page…"
        leftSection={q.isFetching ? <Loader size={14} /> : <IconSearch size={16} />}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, Math.max(0, hits.length - 1)));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter' && hits[active]) open(hits[active]);
          else return;
          e.preventDefault();
        }}
        data-autofocus
      />
      {!debounced ? (
        <Text size="sm" c="dimmed">
          Searches entity values, labels, properties and evidence excerpts in every investigation. ↑↓ to move, Enter to open.
        </Text>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <Text size="sm" c="dimmed">
          Searching…
        </Text>
      ) : hits.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing matches “{debounced}”.
        </Text>
      ) : (
        <Stack gap={2} role="listbox" aria-label="Search results">
          {hits.map((h, i) => (
            <UnstyledButton
              key={h.entity.id}
              role="option"
              aria-selected={i === active}
              aria-label={`${h.entity.type} ${h.entity.value} in ${h.investigationName}`}
              onClick={() => open(h)}
              onMouseEnter={() => setActive(i)}
              p="xs"
              style={{ borderRadius: 6, background: i === active ? 'var(--mantine-color-default-hover)' : undefined }}
            >
              <Group gap="xs" wrap="nowrap">
                <EntityTypeBadge type={h.entity.type} />
                <Text size="sm" ff="monospace" truncate="end" style={{ flex: 1, minWidth: 0 }}>
                  {h.entity.value}
                </Text>
                <Badge variant="outline" color="gray" size="sm" tt="none">
                  {h.investigationName}
                </Badge>
              </Group>
              {h.snippet.length > 0 && (
                <Text size="xs" c="dimmed" mt={4} lineClamp={2}>
                  {h.snippet.map((p, j) => (p.hit ? <mark key={j}>{p.text}</mark> : <span key={j}>{p.text}</span>))}
                </Text>
              )}
            </UnstyledButton>
          ))}
          {q.data?.more && (
            <Text size="xs" c="dimmed" ta="center">
              More hits exist; add a word to narrow the search.
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
