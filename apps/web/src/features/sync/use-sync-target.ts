import { useSession } from "../shell/session.tsx";
import { syncTargetOf, type SyncTarget } from "./sync-runtime.ts";

export { targetKey } from "./sync-runtime.ts";

/** The session's sync target (null where sync is off). No Dexie here: the shell uses it. */
export function useSyncTarget(): SyncTarget | null {
  const { me, scope, roles, isResident } = useSession();
  return syncTargetOf({ userId: me.user.id, scope, roles, isResident });
}
