// The playground's parts that run in Node too: the sha256 stand-in for node:crypto, the MNIST
// asset, the drawing's downsampling and the static server.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createHash as shimHash } from "../playground/src/worker/shims/crypto.js";
import { mnistAsset } from "../playground/build/mnist.js";
import { decodeMnist, pixels } from "../playground/src/shared/mnist.js";
import { centreOfMass, side, toMnist } from "../playground/src/shared/downsample.js";
import { servePlayground } from "../playground/build/serve.js";
import { loadAllDigits, splitDigits, splitSeed, trainCount } from "../examples/mnist/data.js";

describe("the sha256 stand-in", () => {
  it("gives node:crypto's digest for every padding case and for non-ASCII text", () => {
    const texts = ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "x".repeat(1000), "ünïcödé ✓ 𝄞", JSON.stringify({ layers: [1, 2, 3] })];
    for (const text of texts) {
      expect(shimHash("sha256").update(text).digest("hex"), JSON.stringify(text.slice(0, 20))).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });

  it("refuses what it does not implement", () => {
    expect(() => shimHash("md5")).toThrow(/not supported/);
  });
});

describe("the MNIST asset", () => {
  it("holds the digits and the split of `npm start`, one byte a pixel", () => {
    const asset = decodeMnist(gunzipSync(mnistAsset()));
    const split = splitDigits(loadAllDigits(), trainCount, splitSeed);
    for (const part of ["train", "test"] as const) {
      expect(asset[part].n).toBe(split[part].n);
      expect(Array.from(asset[part].labels)).toEqual(Array.from(split[part].labels));
      // the package stores k/255 to three decimals
      let worst = 0;
      for (let i = 0; i < split[part].images.length; i++) worst = Math.max(worst, Math.abs(asset[part].images[i]! - split[part].images[i]!));
      expect(worst).toBeLessThanOrEqual(0.0005 + 1e-6);
    }
    expect(asset.train.images.length).toBe(8000 * pixels);
  });

  it("rejects a file that is not the asset", () => {
    expect(() => decodeMnist(new TextEncoder().encode("not the digits at all"))).toThrow(/CNNMNIST/);
  });
});

describe("downsampling a drawing as MNIST was prepared", () => {
  const width = 280;
  const height = 280;
  function drawing(paint: (x: number, y: number) => number): Float32Array {
    const ink = new Float32Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) ink[y * width + x] = paint(x, y);
    return ink;
  }

  it("maps an empty pad to an empty image", () => {
    expect(toMnist(new Float32Array(width * height), width, height).every((v) => v === 0)).toBe(true);
  });

  it("scales the ink's box to 20 pixels on its longer side and centres its mass", () => {
    // an off-centre bar, 30 wide and 150 tall, in the top-left corner
    const out = toMnist(drawing((x, y) => (x >= 10 && x < 40 && y >= 5 && y < 155 ? 1 : 0)), width, height);
    const rows = [...Array(side).keys()].filter((y) => out.subarray(y * side, (y + 1) * side).some((v) => v > 0));
    const columns = [...Array(side).keys()].filter((x) => rows.some((y) => out[y * side + x]! > 0));
    expect(rows).toHaveLength(20);
    expect(columns).toHaveLength(4);
    const mass = centreOfMass(out, side, side);
    expect(Math.abs(mass.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(mass.y - 14)).toBeLessThanOrEqual(0.5);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("anti-aliases: a disc's rim gets grey levels, its inside full ink", () => {
    const out = toMnist(drawing((x, y) => ((x - 150) ** 2 + (y - 120) ** 2 <= 70 ** 2 ? 1 : 0)), width, height);
    const greys = Array.from(out).filter((v) => v > 0.05 && v < 0.95).length;
    expect(greys).toBeGreaterThan(8);
    expect(out[14 * side + 14]).toBeCloseTo(1, 5);
  });
});

describe("the static server", () => {
  it("serves the site with the isolation headers, and nothing outside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cnnc-serve-"));
    const site = mkdtempSync(join(dir, "site-"));
    writeFileSync(join(site, "index.html"), "<p>hi</p>");
    writeFileSync(join(dir, "secret.txt"), "outside");
    const { server, url } = await servePlayground(site);
    try {
      const get = (path: string, method = "GET"): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
        new Promise((resolve, reject) => {
          const target = new URL(url);
          // a raw path: URL parsing would resolve the dots before the server saw them
          request({ host: target.hostname, port: target.port, path, method }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
          }).on("error", reject).end();
        });
      const index = await get("/");
      expect(index.status).toBe(200);
      expect(index.body).toBe("<p>hi</p>");
      expect(index.headers["cross-origin-opener-policy"]).toBe("same-origin");
      expect(index.headers["cross-origin-embedder-policy"]).toBe("require-corp");
      expect((await get("/../secret.txt")).status).toBe(404);
      expect((await get("/%2e%2e/secret.txt")).status).toBe(404);
      expect((await get("/missing.js")).status).toBe(404);
      expect((await get("/", "HEAD")).status).toBe(200);
      expect((await get("/index.html", "PUT")).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
