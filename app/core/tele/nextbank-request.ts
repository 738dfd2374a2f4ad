/**
 * The NextBank UpdateCustomer request the app stores on the tele history row (nextbank_request)
 * and the service sends verbatim (docs/integrations/tele-outbox.md). Pure, shared by both sides.
 */
export const UPDATE_CUSTOMER_PATH = '/command/UpdateCustomer';
export const MONTH_TO_UPDATE_FIELD = 'Month to Update (MM/DD/YYYY)';

export interface NextbankRequest {
  method: 'POST';
  path: typeof UPDATE_CUSTOMER_PATH;
  /** Sent as the Idempotency-Key header; the same key on every delivery and every retry. */
  idempotencyKey: string;
  body: {
    customerId: string;
    customFields: Array<{ name: typeof MONTH_TO_UPDATE_FIELD; value: string }>;
  };
}

/** YYYY-MM-DD → MM/DD/YYYY, the custom field's format. */
export function monthToUpdateField(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${month}/${day}/${year}`;
}

export function updateCustomerRequest(input: { customerId: string; monthToUpdate: string; idempotencyKey: string }): NextbankRequest {
  return {
    method: 'POST',
    path: UPDATE_CUSTOMER_PATH,
    idempotencyKey: input.idempotencyKey,
    body: {
      customerId: input.customerId,
      customFields: [{ name: MONTH_TO_UPDATE_FIELD, value: monthToUpdateField(input.monthToUpdate) }],
    },
  };
}
