/**
 * Where each destination is now (http-deliverer.ts `EndpointDirectory`): the portal from
 * configuration (MOTCUA_PORTAL_URL, MOTCUA_PORTAL_TOKEN: the lead's config), a webhook from its
 * subscription with the secrets that sign at this instant. Read at every attempt, so a rotated
 * secret or a deleted subscription takes effect on the next retry.
 */
import type { EndpointDirectory } from "./http-deliverer.js";
import type { WebhookSubscriptionRepository } from "./webhook-ports.js";

export function createEndpointDirectory(deps: {
  readonly portal: { readonly url: string; readonly token: string | null } | null;
  readonly subscriptions: Pick<WebhookSubscriptionRepository, "get" | "secretsOf">;
  readonly now: () => number;
}): EndpointDirectory {
  return async (destination) => {
    if (destination.kind === "portal") {
      if (deps.portal === null) return undefined;
      return { url: deps.portal.url, auth: deps.portal.token === null ? { kind: "none" } : { kind: "bearer", token: deps.portal.token } };
    }
    const subscription = await deps.subscriptions.get(destination.id);
    const secrets = subscription === undefined ? undefined : await deps.subscriptions.secretsOf(destination.id, deps.now());
    if (subscription === undefined || secrets === undefined) return undefined;
    return { url: subscription.url, auth: { kind: "webhook", secrets } };
  };
}
