import { json } from "@remix-run/server-runtime";
import { z } from "zod";
import type { StaffScope } from "../core/access/scope.server";
import { applyBulkStatusUpdate, maxBulkClients, type BulkItemResult } from "../core/status/bulk-update.server";
import type { AppContext } from "../platform/context";
import { badRequest } from "./http-errors.server";
import { safeRedirect } from "./safe-redirect";
import { handleStatusForm, statusFormSchema } from "./status-update-action.server";
import { idField } from "../core/ids/record-id";

const clientId = idField();
const bulkSchema = statusFormSchema.omit({ baseVersion: true }).extend({
  clientIds: z.array(clientId).min(1, "Select at least one client.").max(maxBulkClients, `Select at most ${maxBulkClients} clients.`),
});

type Who = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/** The workspace's two forms: one row's status (same rules as the client page) and the bulk update. */
export async function handleWorkspaceAction(ctx: AppContext, who: Who, form: FormData, here: string) {
  const intent = form.get("intent");
  if (intent === "status") {
    const id = clientId.safeParse(form.get("clientId"));
    if (!id.success) badRequest("Unknown client.");
    return handleStatusForm(ctx, who, id.data, form, safeRedirect(form.get("returnTo"), here));
  }
  if (intent !== "bulk") badRequest("Unknown action.");
  const raw = { ...Object.fromEntries([...form].map(([k, v]) => [k, String(v)])), clientIds: form.getAll("clientIds").map(String) };
  const parsed = bulkSchema.safeParse(raw);
  if (!parsed.success) {
    return json({ kind: "bulk-invalid" as const, message: parsed.error.issues[0].message, results: [] as BulkItemResult[] }, { status: 400 });
  }
  const { periodKey, clientIds, ...change } = parsed.data;
  // Each selected row carries the version its checkbox was rendered with: a stale one is refused alone.
  const items = clientIds.map((id) => ({ clientId: id, baseVersion: Number(form.get(`v${id}`) ?? -1) }));
  const results = await applyBulkStatusUpdate(ctx, who, periodKey, items, change);
  return json({ kind: "bulk" as const, message: `${results.filter((r) => r.ok).length} of ${results.length} saved.`, results });
}
