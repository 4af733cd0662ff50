// `npm run playground`: build the site, then serve playground/dist/ on localhost. The headers
// isolate the page (COOP/COEP), which gives it SharedArrayBuffer: the stop button's flag.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlayground, defaultOutDir, formatSizes } from "./build.js";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".gz": "application/octet-stream",
  ".png": "image/png",
};

/** Serves `dir` on 127.0.0.1 (port 0: any free port); resolves with the server and its URL. */
export function servePlayground(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const root = normalize(dir + sep);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    const readOnly = request.method === "GET" || request.method === "HEAD";
    // nothing outside the site, whatever the request says
    if (!file.startsWith(root) || !readOnly) {
      response.writeHead(readOnly ? 404 : 405).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          "Content-Type": types[extname(file)] ?? "application/octet-stream",
          "Cross-Origin-Opener-Policy": "same-origin",
          "Cross-Origin-Embedder-Policy": "require-corp",
          "Cache-Control": "no-cache",
        });
        response.end(request.method === "HEAD" ? undefined : body);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const files = await buildPlayground();
  console.log(`built ${defaultOutDir}\n${formatSizes(files)}`);
  const { url } = await servePlayground(defaultOutDir, port);
  console.log(`the cnnc playground is at ${url} (Ctrl-C to stop)`);
}
