import { useSearchParams } from "@remix-run/react";
import { SAVED_CODES, type SavedCode } from "../../core/config/form-fields";

const VERBS: Record<SavedCode, string> = {
  created: "created", updated: "saved", deleted: "deactivated", restored: "restored", moved: "moved", saved: "saved",
};

/** The success toast after a redirect with ?saved=<code>; only known codes, never echoed text. */
export function SavedToast({ noun = "Changes", verbs = {} }: { noun?: string; verbs?: Partial<Record<SavedCode, string>> }) {
  const [params] = useSearchParams();
  const code = params.get("saved") as SavedCode | null;
  if (!code || !SAVED_CODES.includes(code)) return null;
  return <p className="banner ok" role="status" data-testid="toast">{noun} {verbs[code] ?? VERBS[code]}.</p>;
}
