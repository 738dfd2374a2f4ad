import { REMARK_LIMITS } from '../../core/approvals/checked-actions';

/** The required "why" of a change that waits for another admin's approval (maker-checker, decision 101). */
export function RemarkField({ id, note }: { id: string; note?: string }) {
  return (
    <p>
      {note ? (
        <span className="muted" data-testid={`${id}-note`}>
          {note}{' '}
        </span>
      ) : null}
      <label htmlFor={id}>Why (the approving admin reads this)</label>
      <textarea id={id} name="remark" required minLength={REMARK_LIMITS.min} maxLength={REMARK_LIMITS.max} rows={2} />
    </p>
  );
}
