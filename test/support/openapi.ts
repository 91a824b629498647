import { buildServiceApp } from "../../src/composition.js";

/** The OpenAPI document exactly as committed: generated from the routes of an in-memory app. */
export async function renderOpenApi(): Promise<string> {
  const app = await buildServiceApp({ config: { dbFile: ":memory:", adminKey: undefined, logLevel: "silent" }, logger: false });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
