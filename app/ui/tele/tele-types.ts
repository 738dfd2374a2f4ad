import type { FormReply } from '../../core/forms/form-reply';

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
  status: 'pending' | 'sent' | 'confirmed' | 'failed' | null;
  monthToUpdate: string | null;
  error: string | null;
  confirmedAt: string | null;
}

export interface TeleHistoryItem {
  id: number;
  action: 'status' | 'month_to_update' | 'retry';
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

/** The client's tele state as a 409 brings it back: what the forms are re-based on (decision 045). */
export interface TeleStateNow {
  teleStatus: string | null;
  updateStatus: string | null;
  pointer: string | null;
  monthToUpdate: string | null;
  baseTeleHistoryId: number;
}

/** A refused tele form (the one FormReply): its intent, errors and the input kept; on a 409 the newer state. */
export type TeleFormAnswer = FormReply<TeleStateNow>;
