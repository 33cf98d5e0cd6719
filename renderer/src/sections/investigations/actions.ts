import type { Investigation } from '../../../../preload/contract/investigations.ts';
import type { MethodName } from '../../../../preload/contract/index.ts';
import { useAction } from '../../api/hooks.ts';

const AFFECTED: MethodName[] = ['investigations.list', 'investigations.get'];

/** Archive/unarchive and delete, with their toasts; shared by the list rows and the investigation page. */
export function useInvestigationActions() {
  const update = useAction('investigations.update', {
    invalidates: AFFECTED,
    success: (inv) => (inv.status === 'archived' ? `Archived “${inv.name}”` : `Restored “${inv.name}” to active`),
  });
  const remove = useAction('investigations.delete', { invalidates: AFFECTED });
  return {
    toggleArchive: (inv: Investigation) =>
      update.mutateAsync({ id: inv.id, status: inv.status === 'archived' ? 'active' : 'archived' }).catch(() => undefined),
    /** Resolves true when deleted (the error toast is already shown otherwise). */
    remove: (inv: Investigation) =>
      remove
        .mutateAsync({ id: inv.id })
        .then(() => true)
        .catch(() => false),
    busy: update.isPending || remove.isPending,
  };
}
