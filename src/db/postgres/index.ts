import type { Repositories } from "../../services/index.js";
import type { MomentScheduleRepository } from "../../services/outbound/schedule-ports.js";
import type { PostgresHandle } from "./pg-client.js";
import { createPostgresDossierRepository } from "./dossier-repository.js";
import { createPostgresApologyLetterRepository } from "./apology-letter-repository.js";

/** Every repository the services use, on one PostgreSQL database (issue #16). */
export function createPostgresRepositories(handle: PostgresHandle): Repositories & { readonly schedule: MomentScheduleRepository } {
  const { db } = handle;
  return {
    dossiers: createPostgresDossierRepository(db),
    apologyLetters: createPostgresApologyLetterRepository(db),
  } as unknown as Repositories & { readonly schedule: MomentScheduleRepository }; // completed as the catalog and outbound branches land
}
