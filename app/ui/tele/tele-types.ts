// The tele panel's data as the page receives it (JSON: dates are strings).
export interface TeleStatusChoice {
  code: string;
  name: string;
  requiresReason: boolean;
  requiresRemarks: boolean;
  updateStatuses: Array<{ code: string; name: string }>;
}

export interface MonthCommandState {
  id: number;
  status: "pending" | "sent" | "confirmed" | "failed" | null;
  monthToUpdate: string | null;
  error: string | null;
  confirmedAt: string | null;
}

export interface TeleHistoryItem {
  id: number;
  action: "status" | "month_to_update" | "retry";
  createdAt: string;
  by: string | null;
  teleStatus: string | null;
  updateStatus: string | null;
  reason: string | null;
  remarks: string | null;
  monthToUpdate: string | null;
  pointerBefore: string | null;
  pointerAfter: string | null;
  nextbankStatus: string | null;
  nextbankRequest?: unknown;
  nextbankResponse?: unknown;
  error: string | null;
}

/** A refused tele form: which form, its field errors and the input kept. */
export interface TeleFormAnswer {
  form: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}
