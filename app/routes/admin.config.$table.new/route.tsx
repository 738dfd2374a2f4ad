import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { configChoices } from '../../core/config/config-choices.server';
import { canCreateIn } from '../../core/config/config-reach.server';
import { AdminForm } from '../../ui/forms/admin-form';
import { configGate, denyConfigReach } from '../../web/config-gate.server';
import { createConfigRowAction } from './create.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `New ${data?.table.noun.toLowerCase() ?? 'row'} · Client Updater` }];

// Creating needs config:manage (the form offers only the companies the admin manages).
export async function loader(args: LoaderFunctionArgs) {
  const gate = await configGate(args, 'manage');
  const { def, reach } = gate;
  if (!canCreateIn(reach, def.company)) await denyConfigReach(args, gate, "config:manage 'all' in every company (shared table)");
  const fields = def.fields(await configChoices(args.context.app, def, reach, 'write'));
  return json({ table: { slug: def.slug, label: def.label, noun: def.noun }, fields });
}

export async function action(args: ActionFunctionArgs) {
  return createConfigRowAction(args);
}

export default function NewConfigRow() {
  const { table, fields } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/admin/config/${table.slug}`}>← {table.label}</Link>
      </p>
      <h1>New {table.noun.toLowerCase()}</h1>
      <AdminForm
        fields={fields}
        reply={reply}
        intent="save"
        mode="create"
        submitLabel={`Create ${table.noun.toLowerCase()}`}
        pendingLabel="Creating…"
        testId="config-form"
        defaults={{ isActive: true }}
      />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
