import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, useActionData, useLoaderData, useNavigation, type MetaFunction } from '@remix-run/react';
import { createUser, newUserSchema } from '../core/users/create-user.server';
import { applyRoleTemplate, roleTemplateRefusal } from '../core/users/grants.server';
import { setTerritory } from '../core/users/territory.server';
import { activeRoleTemplates } from '../core/users/access-editor-lookups.server';
import { accessEditorOptions } from '../core/users/user-detail.server';
import { Field } from '../ui/field';
import { redirectWithFlash } from '../web/flash.server';
import { replyFor, valueOf } from '../core/forms/form-reply';
import { failWith, formFailure, readFormData, replyOf, readRequestForm } from '../web/form-protocol.server';
import { requireStaff } from '../web/require-staff.server';
import { fieldProps } from '../core/config/form-fields';
import { userFields } from '../core/users/user-form-fields';

export const meta: MetaFunction = () => [{ title: 'New user · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-user-new', permission: 'users:manage', limit: 'read' });
  return json({ options: await accessEditorOptions(args.context.app, staff.scope, staff.access) });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-user-new', permission: 'users:manage', limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const raw = {
    email: form.get('email') ?? '',
    fullName: form.get('fullName') ?? '',
    roleTemplate: form.get('roleTemplate') ?? '',
    companyId: form.get('companyId') || undefined,
    branchIds: form.getAll('branchIds'),
  };
  const read = readFormData(form, newUserSchema, raw);
  if (!read.ok) return formFailure(read.reply);
  const { values } = read;

  // Check every choice against what this admin may give before writing anything.
  const options = await accessEditorOptions(ctx, staff.scope, staff.access);
  const { roleTemplate, companyId, branchIds } = read.data;
  const fieldErrors: Record<string, string> = {};
  const template = (await activeRoleTemplates(ctx)).find((t) => t.code === roleTemplate); // all of them: one beyond the ceiling is refused with the reason
  if (roleTemplate && !template) fieldErrors.roleTemplate = 'Unknown role.';
  if (template?.companyId && companyId && template.companyId !== companyId) fieldErrors.roleTemplate = 'This role template belongs to the other company.';
  if (roleTemplate && !companyId) fieldErrors.companyId = 'Choose the company the role is for.';
  if (companyId && !options.grantCompanies.some((c) => c.id === companyId)) fieldErrors.companyId = 'You cannot give roles in this company.';
  if (branchIds.some((id) => !options.branches.some((b) => b.id === id))) fieldErrors.branchIds = 'A chosen branch is not one you can assign.';
  const refused = !Object.keys(fieldErrors).length && template && companyId ? await roleTemplateRefusal(ctx, staff.user.id, companyId, template.code) : null;
  if (refused) fieldErrors.roleTemplate = refused;
  if (Object.keys(fieldErrors).length) return formFailure(replyOf({ values, fieldErrors }));

  const created = await createUser(ctx, staff.user.id, read.data);
  if (!created.ok) return failWith(values, created);
  if (roleTemplate && companyId) {
    const applied = await applyRoleTemplate(ctx, staff.user.id, created.userId, companyId, roleTemplate);
    if (!applied.ok) return failWith(values, { field: 'roleTemplate', message: applied.message });
  }
  if (branchIds.length) await setTerritory(ctx, staff.scope, staff.user.id, created.userId, { branchIds, areaIds: [] });
  // Shown once, in the flash the user's page reads and clears: never stored in clear, never in a URL or a log.
  return redirectWithFlash(ctx, `/admin/users/${created.userId}`, {
    type: 'success',
    message: `User created. Give the temporary password to ${read.data.fullName} in person; they must change it at first sign-in.`,
    secret: { label: 'Temporary password, shown once', value: created.temporaryPassword },
  });
}

export default function NewUser() {
  const { options } = useLoaderData<typeof loader>();
  const data = replyFor(useActionData<typeof action>());
  const busy = useNavigation().state === 'submitting';
  const errors: Record<string, string | undefined> = data?.fieldErrors ?? {};
  return (
    <>
      <h1>New user</h1>
      <Form method="post" className="card form">
        <Field {...fieldProps(userFields.email)} type="email" defaultValue={valueOf(data, 'email')} error={errors.email} autoComplete="off" />
        <Field {...fieldProps(userFields.fullName)} defaultValue={valueOf(data, 'fullName')} error={errors.fullName} />
        <div className="field">
          <label htmlFor="roleTemplate">Role</label>
          <select id="roleTemplate" name="roleTemplate" defaultValue={valueOf(data, 'roleTemplate') ?? ''}>
            <option value="">No role yet</option>
            {options.templates.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}
              </option>
            ))}
          </select>
          {errors.roleTemplate ? <p className="error">{errors.roleTemplate}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="companyId">Company of the role</label>
          <select id="companyId" name="companyId" defaultValue={valueOf(data, 'companyId') ?? ''}>
            <option value="">—</option>
            {options.grantCompanies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.companyId ? <p className="error">{errors.companyId}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="branchIds">Branches</label>
          <select id="branchIds" name="branchIds" multiple size={8}>
            {options.branches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.code} · {b.name}
              </option>
            ))}
          </select>
          {errors.branchIds ? <p className="error">{errors.branchIds}</p> : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </Form>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
