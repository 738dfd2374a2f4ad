const peso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP' });

/** Exact money from integer centavos: ₱1,234.50. */
export function formatPeso(centavos: number): string {
  return peso.format(centavos / 100);
}

// One formatter, made once: toLocaleString with options builds a new Intl.DateTimeFormat per call,
// which a 100-row list paid 100 times during hydration on a slow phone. Same output.
const dateTime = new Intl.DateTimeFormat('en-PH', { timeZone: 'Asia/Manila', dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return dateTime.format(new Date(value));
}
