/**
 * Writes openapi/openapi.json from the route schemas. `npm run openapi` after changing a route;
 * test/http/openapi.test.ts fails while the committed file is stale.
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../src/config.js";
import { renderOpenApi } from "../test/support/openapi.js";

const target = path.join(PROJECT_ROOT, "openapi", "openapi.json");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, await renderOpenApi());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
