// The status forms' limits as plain data: the server schemas (status-form.server.ts, the bulk and
// tele schemas) are built from them and the browser forms take them as hints. No zod (decision 081).

export const STATUS_FORM_LIMITS = {
  /** Remarks of a status, a bulk update, a tele status or a reinstatement. */
  remarks: 500,
} as const;
