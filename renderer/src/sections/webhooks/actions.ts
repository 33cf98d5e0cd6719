import { useState } from 'react';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TestResult, Webhook, WebhookWithSecret } from '../../../../preload/contract/webhooks.ts';
import { call } from '../../api/hooks.ts';
import { WEBHOOK_QUERIES } from './live.ts';

/** The actions of a webhook card and page, with their toasts and the one-time secret / test result. */
export function useWebhookActions() {
  const qc = useQueryClient();
  const refresh = () => {
    for (const m of WEBHOOK_QUERIES) void qc.invalidateQueries({ queryKey: [m] });
  };
  const fail = (title: string) => (e: Error) => notifications.show({ color: 'red', title, message: e.message });
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const [test, setTest] = useState<{ webhookId: string; result: TestResult } | null>(null);

  const toggle = useMutation<Webhook, Error, Webhook>({
    mutationFn: (w) => call(w.active ? 'webhooks.disable' : 'webhooks.enable', { id: w.id }),
    onSuccess: (w) => {
      refresh();
      notifications.show({ color: 'green', message: w.active ? 'Webhook enabled' : 'Webhook disabled' });
    },
    onError: fail('Could not change the webhook'),
  });
  const remove = useMutation<unknown, Error, Webhook>({
    mutationFn: (w) => call('webhooks.delete', { id: w.id }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: 'Webhook deleted' });
    },
    onError: fail('Could not delete'),
  });
  const rotate = useMutation<WebhookWithSecret, Error, Webhook>({
    mutationFn: (w) => call('webhooks.rotateSecret', { id: w.id }),
    onSuccess: (w) => {
      refresh();
      setSecret(w);
    },
    onError: fail('Could not rotate the secret'),
  });
  const runTest = useMutation<TestResult, Error, Webhook>({
    mutationFn: (w) => call('webhooks.test', { id: w.id }),
    onSuccess: (result, w) => {
      refresh();
      setTest({ webhookId: w.id, result });
    },
    onError: fail('Could not send the test'),
  });

  return { toggle, remove, rotate, runTest, secret, setSecret, test, setTest };
}
