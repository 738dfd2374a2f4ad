import type { FieldSpec } from '../../core/config/form-fields';
import { AdminForm, replyFor, type FormReply } from '../forms/admin-form';
import { RowAction } from '../forms/admin-list';

export interface ContactRow {
  id: number;
  contactType: string;
  value: string;
  label: string | null;
  isPrimary: boolean;
}

/** The reply of a contact row's form, only for the row it was about. */
function replyOfRow(reply: unknown, intent: string, id: number): FormReply | null {
  const r = replyFor(reply, intent);
  return r && r.values.rowId === String(id) ? r : null;
}

/** The branch's contacts: the primary first; managers edit each in place, mark one primary, remove, add. */
export function BranchContacts({
  branchId,
  contacts,
  fields,
  reply,
}: {
  branchId: number;
  contacts: ContactRow[];
  fields: FieldSpec[] | null;
  reply: unknown;
}) {
  const action = `/branches/${branchId}`;
  const rowError = contacts.map((c) => replyOfRow(reply, 'remove-contact', c.id) ?? replyOfRow(reply, 'primary-contact', c.id)).find(Boolean);
  return (
    <section className="card" data-testid="branch-contacts">
      <h2>Contacts</h2>
      {rowError?.formError ? (
        <p className="banner error" role="alert">
          {rowError.formError}
        </p>
      ) : null}
      {contacts.length === 0 ? <p className="muted">No contacts yet.</p> : null}
      {contacts.length > 0 && !contacts.some((c) => c.isPrimary) ? <p className="muted">No primary contact: mark one.</p> : null}
      <ul className="contacts">
        {contacts.map((c) => {
          const editReply = replyOfRow(reply, 'edit-contact', c.id);
          return (
            <li key={c.id} data-testid="contact" data-contact-id={c.id}>
              <span data-testid="contact-value">{c.value}</span>{' '}
              <span className="muted">
                {c.contactType}
                {c.label ? ` · ${c.label}` : ''}
              </span>
              {c.isPrimary ? (
                <>
                  {' '}
                  <span className="badge DONE" data-testid="primary-contact">
                    Primary
                  </span>
                </>
              ) : null}
              {fields ? (
                <div className="actions">
                  {c.isPrimary ? null : <RowAction action={action} intent="primary-contact" rowId={c.id} label="Make primary" pendingLabel="Saving…" />}
                  <RowAction action={action} intent="remove-contact" rowId={c.id} label="Remove" pendingLabel="Removing…" title={`Remove ${c.value}`} />
                </div>
              ) : null}
              {fields ? (
                <details open={Boolean(editReply)}>
                  <summary>Edit</summary>
                  <AdminForm
                    fields={fields}
                    reply={editReply}
                    intent="edit-contact"
                    submitLabel="Save contact"
                    mode="edit"
                    defaults={{ contactType: c.contactType, value: c.value, label: c.label, isPrimary: c.isPrimary }}
                    testId={`contact-edit-${c.id}`}
                    idPrefix={`contact-${c.id}`}
                  >
                    <input type="hidden" name="rowId" value={c.id} />
                  </AdminForm>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      {fields ? (
        <details open={Boolean(replyFor(reply, 'add-contact'))}>
          <summary>Add a contact</summary>
          <AdminForm
            fields={fields}
            reply={reply}
            intent="add-contact"
            submitLabel="Add contact"
            pendingLabel="Adding…"
            mode="create"
            defaults={{ contactType: 'phone' }}
            testId="contact-add"
            idPrefix="contact-new"
          />
        </details>
      ) : null}
    </section>
  );
}
