// esbuild plugins for the browser build of the compiler: stand-ins for the Node modules it
// and its dependencies import, and virtual modules written at build time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Plugin } from "esbuild";

const shims = new URL("../src/worker/shims/", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const compilerSource = new URL("../../src/", import.meta.url).pathname;

/** Node built-ins that ts-morph and TypeScript import but, with an in-memory file system, never call. */
const unused = ["fs", "fs/promises", "os", "inspector", "perf_hooks", "module", "url", "util", "child_process", "stream", "buffer"];

export function browserCompiler(version: string): Plugin {
  return {
    name: "cnnc-browser-compiler",
    setup(build) {
      build.onResolve({ filter: /^(node:)?crypto$/ }, () => ({ path: `${shims}crypto.ts` }));
      build.onResolve({ filter: /^prettier$/ }, () => ({ path: `${shims}prettier.ts` }));
      build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: require.resolve("path-browserify") }));
      build.onResolve({ filter: new RegExp(`^(node:)?(${unused.join("|")})$`) }, () => ({ path: `${shims}empty.ts` }));
      // src/version.ts reads package.json from disk; the site gets the version as a constant.
      build.onResolve({ filter: /\/version\.js$/ }, (args) =>
        args.importer.startsWith(compilerSource) ? { path: "version", namespace: "cnnc-virtual" } : undefined,
      );
      build.onLoad({ filter: /^version$/, namespace: "cnnc-virtual" }, () => ({
        contents: `export const version = ${JSON.stringify(version)};`,
        loader: "js",
      }));
    },
  };
}

/** `cnnc:examples` (the example programs) and `cnnc:vocabulary` (names to highlight). */
export function virtualModules(modules: Record<string, unknown>): Plugin {
  return {
    name: "cnnc-virtual-modules",
    setup(build) {
      build.onResolve({ filter: /^cnnc:/ }, (args) => ({ path: args.path, namespace: "cnnc-data" }));
      build.onLoad({ filter: /.*/, namespace: "cnnc-data" }, (args) => {
        if (!(args.path in modules)) return { errors: [{ text: `no virtual module ${args.path}` }] };
        return { contents: `export default ${JSON.stringify(modules[args.path])};`, loader: "js" };
      });
    },
  };
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
