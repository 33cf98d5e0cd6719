import { ActionIcon, TextInput } from '@mantine/core';
import { IconSearch, IconX } from '@tabler/icons-react';

/** A labelled search box with a clear button; `onChange` also fires with '' when cleared. */
export function SearchInput(props: { label: string; placeholder: string; value: string; onChange: (v: string) => void; w?: number; clearLabel?: string }) {
  const { label, placeholder, value, onChange, w, clearLabel = 'Clear search' } = props;
  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      rightSection={
        value ? (
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={clearLabel} onClick={() => onChange('')}>
            <IconX size={14} />
          </ActionIcon>
        ) : null
      }
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={w}
    />
  );
}
