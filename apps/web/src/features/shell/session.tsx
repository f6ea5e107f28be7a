import { createContext, use } from "react";
import { queryOptions } from "@tanstack/react-query";
import type { Me, Role, Scope } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";

export const meQuery = queryOptions({
  queryKey: ["me"] as const,
  queryFn: ({ signal }) => apiGet<Me>("/api/me", undefined, signal),
  staleTime: 60_000,
});

export interface Session {
  me: Me;
  scope: Scope | null;
  roles: Role[];
  isResident: boolean;
  setScope: (id: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = use(SessionContext);
  if (!s) throw new Error("useSession outside the signed-in app");
  return s;
}

/** The active scope: the one chosen on this device if the user still has it, else the server's. */
export function pickScope(me: Me, stored: string | null): Scope | null {
  return (
    me.scopes.find((s) => s.id === stored) ??
    me.scopes.find((s) => s.id === me.activeScopeId) ??
    me.scopes[0] ??
    null
  );
}
