import type { ActionFunctionArgs } from '@remix-run/server-runtime';
import { configChoices } from '../../core/config/config-choices.server';
import { formRules } from '../../core/config/config-checks.server';
import { configRow, notManagedMessage } from '../../core/config/config-rows.server';
import { moveConfigRow, saveConfigRow, setConfigRowActive } from '../../core/config/config-writes.server';
import { askSettingChange, settingDeleteRefusal } from '../../core/approvals/actions/config-checker.server';
import { askLookupChange } from '../../core/approvals/actions/config-lookup.server';
import { waitingMessage } from '../../core/approvals/request-store.server';
import { answerConfigWrite, configGate, denyConfigReach } from '../../web/config-gate.server';
import { redirectWithFlash } from '../../web/flash.server';
import { failWith, formFailure, readForm, savedMessage, readRequestForm } from '../../web/form-protocol.server';
import { notFound } from '../../web/http-errors.server';
import { idParam } from '../../web/route-id.server';
import { safeRedirect } from '../../web/safe-redirect';

// A Map, not a plain object: an intent like "constructor" or "__proto__" must not find an inherited entry.
const SAVED = new Map<string, 'deleted' | 'restored' | 'moved'>([
  ['delete', 'deleted'],
  ['restore', 'restored'],
  ['move-up', 'moved'],
  ['move-down', 'moved'],
]);

/** POST /admin/config/:table/:id — intent save | delete | restore | move-up | move-down. */
export async function editConfigRowAction(args: ActionFunctionArgs) {
  const gate = await configGate(args, 'manage');
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const form = await readRequestForm(args.request);
  const intent = String(form.get('intent') ?? '');
  const who = { userId: gate.staff.user.id, reach: gate.reach };
  const here = `/admin/config/${gate.def.slug}/${id}`;
  if (intent === 'save') {
    const row = await configRow(ctx, gate.def, gate.reach, id);
    if (!row) notFound();
    if (!row.canManage) await denyConfigReach(args, gate, notManagedMessage(gate.def, row.ownerCompanyId));
    const fields = gate.def.fields(await configChoices(ctx, gate.def, gate.reach, 'write', row));
    const read = readForm(form, fields, formRules(gate.def, row));
    if (!read.ok) return formFailure({ ...read.reply, intent });
    // A maker-checker switch of a company that checks changes waits for a second admin (decision 101).
    const remark = typeof read.data.remark === 'string' ? read.data.remark : null;
    const asked = (await askSettingChange(ctx, gate.def, who, id, read.data, remark)) ?? (await askLookupChange(ctx, gate.def, who, id, read.data, remark));
    if (asked) return asked.ok ? redirectWithFlash(ctx, here, waitingMessage(asked.requestId)) : failWith(read.values, asked, { intent });
    const result = await saveConfigRow(ctx, gate.def, who, id, read.data);
    return (await answerConfigWrite(args, gate, result, read.values, intent)) ?? redirectWithFlash(ctx, here, savedMessage(gate.def.noun, 'updated'));
  }
  const saved = SAVED.get(intent);
  if (!saved) return failWith({}, { message: 'That form was not understood. Reload the page and try again.' }, { intent });
  const kept = intent === 'delete' ? await settingDeleteRefusal(ctx, gate.def, id) : null;
  if (kept) return failWith({}, { message: kept }, { intent });
  const result =
    intent === 'delete' || intent === 'restore'
      ? await setConfigRowActive(ctx, gate.def, who, id, intent === 'restore')
      : await moveConfigRow(ctx, gate.def, who, id, intent === 'move-up' ? 'up' : 'down');
  const back = safeRedirect(form.get('returnTo'), here);
  const target = back.startsWith(`/admin/config/${gate.def.slug}`) ? back : here;
  // A removed setting has no page left: back to the list.
  const gone = result.ok && intent === 'delete' && !gate.def.softDelete;
  // A hard-deleted row (a setting) is "deleted"; a soft-deleted one "deactivated".
  const message = savedMessage(gate.def.noun, saved, gate.def.softDelete ? {} : { deleted: 'deleted' });
  return (await answerConfigWrite(args, gate, result, {}, intent)) ?? redirectWithFlash(ctx, gone ? `/admin/config/${gate.def.slug}` : target, message);
}
