import { Badge, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { TestResult } from '../../../../preload/contract/webhooks.ts';

/** What the receiver answered to a webhook.test delivery. */
export function TestResultDialog({ result, webhookId, onClose }: { result: TestResult | null; webhookId: string; onClose: () => void }) {
  return (
    <Modal opened={result !== null} onClose={onClose} title="Test delivery" size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {result && (
        <Stack gap="sm">
          <Group gap="sm">
            <Badge color={result.ok ? 'green' : 'red'} size="lg" variant="light">
              {result.ok ? 'Delivered' : 'Failed'}
            </Badge>
            <Text size="sm" aria-label="Test status">
              {result.statusCode !== null ? `HTTP ${result.statusCode}` : 'no answer'}
            </Text>
            <Text size="sm" c="dimmed">
              {result.durationMs} ms
            </Text>
          </Group>
          {result.error && (
            <Text size="sm" c="red">
              {result.error}
            </Text>
          )}
          <Text size="sm" fw={600}>
            Response body
          </Text>
          <Code block mah={240} style={{ overflow: 'auto' }}>
            {result.body || '(empty)'}
          </Code>
          <Group justify="space-between">
            <Button variant="subtle" component={Link} to={`/webhooks/${webhookId}`} onClick={onClose}>
              Open the delivery log
            </Button>
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
