/*
 * THE admin form pattern (docs/decisions/070). One field description per form drives everything:
 *
 *   // core: plain, JSON-serialisable description (app/core/config/form-fields.ts)
 *   const fields: FieldSpec[] = [
 *     { name: "code", label: "Code", kind: "code" },                // letters, digits, _; ≤ 40
 *     { name: "name", label: "Name", kind: "text", maxLength: 80 },
 *     { name: "companyId", label: "Company", kind: "select", ids: true, options },  // options per request
 *     { name: "isPrimary", label: "Primary", kind: "boolean" },
 *   ];
 *
 *   // action (app/web/form-protocol.server.ts): ONE zod schema built from those fields
 *   const read = readForm(await request.formData(), fields, { mode: "edit", refine? });
 *   if (!read.ok) return formFailure(read.reply);                  // 400 FormReply: field errors, input kept
 *   const r = await updateThing(ctx, scope, id, read.data);        // core: write + recordAudit in one tx
 *   if (!r.ok) return failWith(read.values, r);                    // { field?, message } → 400 FormReply
 *   return redirectWithFlash(ctx, `/things/${id}`, savedMessage("Thing", "updated"));  // 302 + flash cookie
 *
 *   // component: the loader sends `fields` (and the row); the reply comes from useActionData();
 *   // the success message is shown by <FlashToast> in the root layout (decision 085)
 *   <AdminForm fields={fields} defaults={row} reply={useActionData<typeof action>()} intent="save" submitLabel="Save" />
 *
 *   // lists (app/ui/forms/admin-list.tsx + app/core/config/admin-list-query.ts):
 *   const parsed = parseAdminListQuery(url.searchParams, { sorts: ["name", "code"], filters: { active: ["1", "0"] } });
 *   <AdminList columns={…} rows={…} total page pages query filters sorts rowHref rowActions />
 *   <RowAction action="/things/7" intent="delete" label="Deactivate" pendingLabel="Deactivating…" />
 *
 * Without JavaScript: plain POST → 400 page with errors, or redirect with the flash. With it:
 * the button says pendingLabel while the request runs, and list row actions (delete, restore,
 * move-up, move-down) show their outcome at once (optimistic) through fetchers.
 */
import { Form, useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import type { FieldSpec } from '../../core/config/form-fields';
import { replyFor } from '../../core/forms/form-reply';
import { FieldInput, type ShownValue } from './field-input';

export { FieldInput } from './field-input';
export { replyFor, type FormReply } from '../../core/forms/form-reply';

/** True while this page's form with that intent is being submitted (the pending state). */
export function useSubmitting(intent?: string): boolean {
  const navigation = useNavigation();
  if (navigation.state !== 'submitting' || !navigation.formData) return false;
  return intent === undefined || navigation.formData.get('intent') === intent;
}

export function SubmitButton({ label, pendingLabel, intent, className }: { label: string; pendingLabel?: string; intent?: string; className?: string }) {
  const pending = useSubmitting(intent);
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending || undefined} data-testid={intent ? `submit-${intent}` : 'submit'}>
      {pending ? (pendingLabel ?? 'Saving…') : label}
    </button>
  );
}

/**
 * A described form: its fields with the kept input or the current values, errors next to each
 * field, a message for the whole form, and a submit button with a pending state.
 */
export function AdminForm(props: {
  fields: readonly FieldSpec[];
  /** Current values (edit) or defaults (create), keyed by field name. */
  defaults?: Record<string, ShownValue>;
  /** useActionData() of the route; shown only when its intent matches. */
  reply?: unknown;
  intent?: string;
  action?: string;
  submitLabel: string;
  pendingLabel?: string;
  /** Rendered before the submit button (extra inputs, notes). */
  children?: ReactNode;
  mode?: 'create' | 'edit';
  /** A whole-form lock (e.g. read-only viewers): fields disabled, no button. */
  readOnly?: boolean;
  testId?: string;
  idPrefix?: string;
}) {
  const reply = replyFor(props.reply, props.intent);
  const pending = useSubmitting(props.intent);
  const shown = props.fields.filter((f) => !(props.mode === 'create' && f.readOnly));
  return (
    <Form method="post" action={props.action} className="card form" data-testid={props.testId} aria-busy={pending || undefined} noValidate={false}>
      {props.intent ? <input type="hidden" name="intent" value={props.intent} /> : null}
      {reply?.formError ? (
        <p className="banner error" role="alert" data-testid="form-error">
          {reply.formError}
        </p>
      ) : null}
      {reply && !reply.formError && Object.keys(reply.fieldErrors).length ? (
        <p className="banner error" role="alert" data-testid="form-error">
          Check the highlighted fields; nothing was saved.
        </p>
      ) : null}
      {shown.map((field) => {
        const locked = props.readOnly || field.readOnly || (props.mode === 'edit' && field.createOnly);
        const value = reply && !locked ? reply.values[field.name] : props.defaults?.[field.name];
        return (
          <FieldInput key={field.name} field={field} value={value ?? null} error={reply?.fieldErrors[field.name]} idPrefix={props.idPrefix} disabled={locked} />
        );
      })}
      {props.children}
      {props.readOnly ? null : <SubmitButton label={props.submitLabel} pendingLabel={props.pendingLabel} intent={props.intent} />}
    </Form>
  );
}
