type Option = { id: number; code?: string; name: string };

/** One filter of a GET search form: "All" first, then "CODE · Name" options; keeps the chosen value. */
export function FilterSelect({ idPrefix, name, label, options, value }: { idPrefix: string; name: string; label: string; options: Option[]; value?: string }) {
  const id = `${idPrefix}-${name}`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.code && o.code !== o.name ? `${o.code} · ${o.name}` : o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
