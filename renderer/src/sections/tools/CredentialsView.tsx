import { useState } from 'react';
import { Alert, Button, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

/** Credentials for tools (http.api): names only are ever shown; values go in and never come back. */
export function CredentialsView() {
  const q = useCall('credentials.list', {});
  useInvalidateOn(['tools.config.changed'], ['credentials.list']);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [description, setDescription] = useState('');
  const set = useAction('credentials.set', { invalidates: ['credentials.list'], success: (c) => `Stored ${c.name}` });
  const del = useAction('credentials.delete', { invalidates: ['credentials.list'], success: (c) => `Deleted ${c.name}` });

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate(
              { name: name.trim(), secret, description: description.trim() || undefined },
              {
                onSuccess: () => {
                  setName('');
                  setSecret('');
                  setDescription('');
                },
              },
            );
          }}
        >
          <Stack gap="sm">
            <Title order={4}>Set a credential</Title>
            <Text size="sm" c="dimmed">
              Encrypted at rest; tools read it by name (e.g. the <code>credential</code> parameter of http.api). Setting an existing name replaces its value.
            </Text>
            <Group grow align="flex-start">
              <TextInput label="Name" placeholder="shodan" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
              <PasswordInput label="Secret" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} required autoComplete="off" />
              <TextInput label="Description" placeholder="What it is for" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            </Group>
            {set.error && (
              <Alert color="red" role="alert">
                {set.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" leftSection={<IconKey size={16} />} loading={set.isPending} disabled={!name.trim() || !secret}>
                Save credential
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <Empty title="No credentials yet">Add an API key above, or run `dossier credential set NAME` with the key on standard input.</Empty>
      ) : (
        <Table striped withTableBorder aria-label="Credentials">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Sealed by</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.map((c) => (
              <Table.Tr key={c.name}>
                <Table.Td ff="monospace">{c.name}</Table.Td>
                <Table.Td>{c.description}</Table.Td>
                <Table.Td>{c.boxKind}</Table.Td>
                <Table.Td>{new Date(c.updatedAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  <ConfirmButton size="xs" title={`Delete ${c.name}?`} message="Tools that use this credential will fail until it is set again." onConfirm={() => del.mutateAsync({ name: c.name })} aria-label={`Delete ${c.name}`}>
                    Delete
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
