import type { ActionFunctionArgs } from '@remix-run/server-runtime';
import { configChoices } from '../../core/config/config-choices.server';
import { formRules } from '../../core/config/config-checks.server';
import { canCreateIn } from '../../core/config/config-reach.server';
import { saveConfigRow } from '../../core/config/config-writes.server';
import { askSettingChange } from '../../core/approvals/actions/config-checker.server';
import { askLookupChange } from '../../core/approvals/actions/config-lookup.server';
import { waitingMessage } from '../../core/approvals/request-store.server';
import { answerConfigWrite, configGate, denyConfigReach } from '../../web/config-gate.server';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, formFailure, readForm, savedMessage, readRequestForm } from '../../web/form-protocol.server';

/** POST /admin/config/:table/new: validate with the schema built from the fields, create, audit. */
export async function createConfigRowAction(args: ActionFunctionArgs) {
  const gate = await configGate(args, 'manage');
  const ctx = args.context.app;
  if (!canCreateIn(gate.reach, gate.def.company)) await denyConfigReach(args, gate, "config:manage 'all' in every company (shared table)");
  const fields = gate.def.fields(await configChoices(ctx, gate.def, gate.reach, 'write'));
  const read = readForm(await readRequestForm(args.request), fields, formRules(gate.def, null));
  if (!read.ok) return formFailure({ ...read.reply, intent: 'save' });
  const who = { userId: gate.staff.user.id, reach: gate.reach };
  // A maker-checker switch of a company that checks changes waits for a second admin (decision 101).
  const remark = typeof read.data.remark === 'string' ? read.data.remark : null;
  const asked = (await askSettingChange(ctx, gate.def, who, null, read.data, remark)) ?? (await askLookupChange(ctx, gate.def, who, null, read.data, remark));
  if (asked)
    return asked.ok
      ? redirectWithFlash(ctx, `/admin/config/${gate.def.slug}`, waitingMessage(asked.requestId))
      : failWith(read.values, asked, { intent: 'save' });
  const result = await saveConfigRow(ctx, gate.def, who, null, read.data);
  return (
    (await answerConfigWrite(args, gate, result, read.values, 'save')) ??
    redirectWithFlash(ctx, `/admin/config/${gate.def.slug}/${result.ok ? result.id : ''}`, savedMessage(gate.def.noun, 'created'))
  );
}
