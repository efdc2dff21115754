/**
 * Java's `String.split(separator)` for a literal one-character separator: trailing empty strings are dropped
 * (`"a:b:"` gives `["a", "b"]`, `"a:"` gives `["a"]`), as Kafka's config parsing relies on.
 */
export const javaSplit = (text: string, separator: string): string[] => {
  // With no separator at all, Java returns the input itself, even when it is empty.
  if (!text.includes(separator)) return [text]
  const parts = text.split(separator)
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}
