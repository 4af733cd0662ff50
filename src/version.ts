// The compiler version, printed by --version and in every generated header. Found by walking
// up from this file, so it works from src/ (tsx) and from dist/src/ (a build) alike.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "cnnc" && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  throw new Error("internal: cannot find cnnc's package.json");
}

export const version: string = findVersion();
