// A tripwire on the global object: any read or write of globalThis.__cnncCanary, or any new
// global, shows that generated code ran something its source did not ask for.

const canaryKey = "__cnncCanary";

export interface Canary {
  /** what touched the canary, and globals that appeared since it was set */
  report(): string[];
  remove(): void;
}

export function setCanary(): Canary {
  const touches: string[] = [];
  Object.defineProperty(globalThis, canaryKey, {
    configurable: true,
    get() {
      touches.push("read");
      return "canary";
    },
    set(value: unknown) {
      touches.push(`write ${String(value)}`);
    },
  });
  const before = new Set(Reflect.ownKeys(globalThis));
  return {
    report: () => [
      ...touches,
      ...Reflect.ownKeys(globalThis)
        .filter((key) => !before.has(key))
        .map((key) => `new global ${String(key)}`),
    ],
    remove: () => void Reflect.deleteProperty(globalThis, canaryKey),
  };
}
