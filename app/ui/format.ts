const peso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP' });

/** Exact money from integer centavos: ₱1,234.50. */
export function formatPeso(centavos: number): string {
  return peso.format(centavos / 100);
}

export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Date(value).toLocaleString('en-PH', { timeZone: 'Asia/Manila', dateStyle: 'medium', timeStyle: 'short' });
}
