import { Stack, Table, Title } from '@mantine/core';
import { useCall } from '../../api/hooks.ts';
import { ErrorState, Loading, Empty } from '../../components/States.tsx';

export function InvestigationList() {
  const q = useCall('investigations.list', { limit: 50, offset: 0 });
  return (
    <Stack>
      <Title order={2}>Investigations</Title>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title="No investigations yet" />
      ) : (
        <Table>
          <Table.Tbody>
            {q.data.items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.name}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
