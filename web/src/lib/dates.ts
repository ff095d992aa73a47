/** `YYYY-MM-DD` of a date input → ISO start of that local day (or undefined when empty). */
export function dayStart(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** `YYYY-MM-DD` → ISO start of the next local day: the API's `to` is exclusive, the input means "up to and including". */
export function dayEnd(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}
