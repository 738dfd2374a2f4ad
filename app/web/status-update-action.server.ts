import { json, redirect } from "@remix-run/server-runtime";
import { z } from "zod";
import { applyStatusUpdate } from "../core/status/apply-status-update.server";
import type { AppContext } from "../platform/context";
import type { StaffScope } from "../core/access/scope.server";
import { fieldErrorsOf } from "./form-errors";
import { notFound } from "./http-errors.server";
import { idField } from "../core/ids/record-id";

const id = idField("Choose from the list.");
export const statusFormSchema = z.object({
  periodKey: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, "Unknown period."),
  baseVersion: z.string().regex(/^\d{1,9}$/).transform(Number),
  statusTypeId: id,
  reasonId: z.union([z.literal("").transform(() => null), id]),
  remarks: z.string().max(500, "Remarks are at most 500 characters.").optional().transform((v) => v ?? null),
  hasPayment: z.enum(["yes", "no"], { error: "Say whether there was a payment." }).transform((v) => v === "yes"),
});

/** The status form's POST: 400 with field errors, 409 with the newer state, or back to the page. */
export async function handleStatusForm(
  ctx: AppContext, who: { userId: number; scope: StaffScope; revertScope: StaffScope | null }, clientId: number, form: FormData, back: string,
) {
  const values = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]));
  const parsed = statusFormSchema.safeParse(values);
  if (!parsed.success) return json({ kind: "invalid" as const, errors: fieldErrorsOf(parsed.error.issues), values, current: null }, { status: 400 });
  const { periodKey, ...req } = parsed.data;
  const result = await applyStatusUpdate(ctx, who, { clientId, periodKey }, req);
  if (!result.ok && result.code === "NOT_FOUND") notFound();
  if (!result.ok) {
    const stale = result.code === "STALE_VERSION";
    return json(
      { kind: stale ? ("conflict" as const) : ("invalid" as const), errors: { [result.field ?? "form"]: result.message }, values, current: result.current ?? null },
      { status: stale ? 409 : 400 },
    );
  }
  const to = new URL(back, "http://self.invalid");
  to.searchParams.set("saved", String(clientId));
  return redirect(to.pathname + to.search);
}
