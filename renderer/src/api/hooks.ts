import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { Contract, MethodName } from '../../../preload/contract/index.ts';
import type { InputOf, OutputOf } from '../../../preload/contract/define.ts';
import type { CoreEventEnvelope, CoreEventName, CoreEvents } from '../../../preload/contract/events.ts';
import { transport, type ConnectionState } from './transport.ts';

export const call = transport.call.bind(transport) as Transport['call'];
type Transport = typeof transport;

/** Query keys start with the method name, so invalidating a method refreshes every view of it. */
export function useCall<K extends MethodName>(
  method: K,
  input: InputOf<Contract[K]>,
  opts: Omit<UseQueryOptions<OutputOf<Contract[K]>, Error>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<OutputOf<Contract[K]>, Error>({
    queryKey: [method, input],
    queryFn: () => transport.call(method, input),
    ...opts,
  });
}

/** A mutation that toasts its error and invalidates the given methods on success. */
export function useAction<K extends MethodName>(
  method: K,
  opts: {
    invalidates?: MethodName[];
    success?: string | ((out: OutputOf<Contract[K]>) => string);
    /** The form shows the error itself (on its fields): no toast. */
    formErrors?: boolean;
  } = {},
) {
  const qc = useQueryClient();
  return useMutation<OutputOf<Contract[K]>, Error, InputOf<Contract[K]>>({
    mutationFn: (input) => transport.call(method, input),
    onSuccess: (out) => {
      for (const m of opts.invalidates ?? []) void qc.invalidateQueries({ queryKey: [m] });
      if (opts.success) {
        notifications.show({ color: 'green', message: typeof opts.success === 'function' ? opts.success(out) : opts.success });
      }
    },
    onError: (e) => {
      if (opts.formErrors) return;
      notifications.show({ color: 'red', title: 'Something went wrong', message: e.message });
    },
  });
}

/** Subscribe to one live core event for the lifetime of the component. */
export function useCoreEvent<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(
    () =>
      transport.subscribe((e: CoreEventEnvelope) => {
        if (e.name === name) ref.current(e.payload as CoreEvents[K]);
      }),
    [name],
  );
}

/** Invalidate the given methods whenever one of the named core events arrives. */
export function useInvalidateOn(events: CoreEventName[], methods: MethodName[]): void {
  const qc = useQueryClient();
  const key = events.join(',') + '|' + methods.join(',');
  useEffect(
    () =>
      transport.subscribe((e) => {
        if (events.includes(e.name)) for (const m of methods) void qc.invalidateQueries({ queryKey: [m] });
      }),
    [key, qc],
  );
}

/** Whenever the event stream (re)connects, every view re-reads: what changed while it was not connected never arrived as an event. */
export function useResyncOnReconnect(): void {
  const qc = useQueryClient();
  useEffect(() => transport.onReconnect(() => void qc.invalidateQueries()), [qc]);
}

/**
 * Any core event marks every cached query stale (without refetching): a view that is not mounted when its data
 * changes has no subscriber to invalidate it, and `staleTime` would otherwise let it come back showing the old list.
 * Mounted views refetch through their own `useInvalidateOn`. Bursts (batch progress) are folded into one mark.
 */
export function useMarkStaleOnEvents(): void {
  const qc = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = transport.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ refetchType: 'none' });
      }, 100);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [qc]);
}

/** Whether the core is reachable (browser mode: token present and accepted, server running), re-rendering on change. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(
    (l) => transport.onConnection(l),
    () => transport.connection(),
  );
}
