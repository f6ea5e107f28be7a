import { NativeSelect } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSession } from "./session.tsx";

export function ScopeSwitch() {
  const { t } = useTranslation();
  const { me, scope, setScope } = useSession();
  if (me.scopes.length < 2) return null;
  return (
    <NativeSelect
      label={t("scope.label")}
      data-testid="scope-switch"
      size="sm"
      value={scope?.id ?? ""}
      data={me.scopes.map((s) => ({ value: s.id, label: s.name }))}
      onChange={(e) => setScope(e.currentTarget.value)}
    />
  );
}
