import { z } from "zod";

/** Search params of the clients screen. Paging is clamped, never an error; ids must be positive. */
const optionalId = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be a positive id").optional(),
);

export const clientSorts = ["name", "code", "branch", "pastDue"] as const;
export const maxPageSize = 100;
export const defaultPageSize = 25;

function clampInt(raw: unknown, fallback: number, min: number, max: number): number {
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

export const clientListQuerySchema = z.object({
  q: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(100, "Search is at most 100 characters.").optional()),
  company: optionalId,
  branch: optionalId,
  product: optionalId,
  par: optionalId,
  status: optionalId,
  sort: z.enum(clientSorts).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
});

export type ClientListQuery = z.infer<typeof clientListQuerySchema> & { page: number; pageSize: number };

export function parseClientListQuery(params: URLSearchParams):
  | { ok: true; query: ClientListQuery }
  | { ok: false; message: string } {
  const raw = Object.fromEntries(params.entries());
  const result = clientListQuerySchema.safeParse(raw);
  if (result.success) {
    const page = clampInt(raw.page, 1, 1, 1_000_000);
    const pageSize = clampInt(raw.pageSize, defaultPageSize, 1, maxPageSize);
    return { ok: true, query: { ...result.data, page, pageSize } };
  }
  const issue = result.error.issues[0];
  return { ok: false, message: `Filter "${issue.path.join(".")}" ${issue.message}` };
}
