// The server's settings, from the client's initializationOptions or its `cnnc` configuration
// section: `{ "inlayHints": { "enabled": false } }` (or `"inlayHints": false`) turns the shape
// hints off. Anything unexpected keeps the default.
export interface Settings {
  readonly inlayHints: boolean;
}

export function readSettings(value: unknown): Settings {
  const hints = (value as { inlayHints?: unknown } | null | undefined)?.inlayHints;
  if (typeof hints === "boolean") return { inlayHints: hints };
  const enabled = (hints as { enabled?: unknown } | null | undefined)?.enabled;
  return { inlayHints: typeof enabled === "boolean" ? enabled : true };
}
