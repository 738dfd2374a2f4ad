import { useEffect, useState } from 'react';

type Status = { id: number; name: string };
type Reason = { id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean };

/** True once React runs in the browser: server HTML must work without JavaScript. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * The reason <option>s, grouped by status. Without JavaScript every status's reasons are listed
 * (the server checks the pair); with it, only the chosen status's, so the same name under two
 * statuses (NO_ANSWER) cannot be picked from the wrong group.
 */
export function ReasonOptions({ statuses, reasons, statusId }: { statuses: Status[]; reasons: Reason[]; statusId: string }) {
  const hydrated = useHydrated();
  const shown = hydrated ? statuses.filter((s) => String(s.id) === statusId) : statuses;
  return (
    <>
      {shown.map((s) => {
        const list = reasons.filter((r) => r.statusTypeId === s.id);
        return list.length ? (
          <optgroup key={s.id} label={s.name}>
            {list.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
                {r.isTerminal ? ' — terminal' : ''}
                {r.requiresRemarks ? ' — remarks required' : ''}
              </option>
            ))}
          </optgroup>
        ) : null;
      })}
    </>
  );
}
