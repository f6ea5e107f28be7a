import { Alert, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { AnchorLink } from "../../components/links.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { addressLine, formatPhone, fullName } from "./resident-labels.ts";
import type { DuplicateCandidates } from "./residents.api.ts";

/**
 * Possible existing records of the same person, with why they look alike. A warning,
 * never a block: the worker decides. With `residentId` each gets a link to compare and merge.
 */
export function DuplicateCandidatesList({
  candidates,
  residentId,
  title,
  hint,
}: {
  candidates: DuplicateCandidates["items"];
  residentId?: string | undefined;
  title: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={title} role="status" data-testid="duplicate-warning">
      {hint ? (
        <Text size="sm" mb="xs">
          {hint}
        </Text>
      ) : null}
      <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {candidates.map(({ resident: r, reasons }) => {
          const address = addressLine(t, r.address);
          return (
            <li key={r.id}>
              <Group gap="xs" wrap="wrap">
                <AnchorLink to="/residents/$id" params={{ id: r.id }} fw={700} target="_blank">
                  {fullName(r)}
                </AnchorLink>
                {r.phone ? (
                  <Text size="sm" span dir="ltr" style={{ unicodeBidi: "isolate" }}>
                    {formatPhone(r.phone)}
                  </Text>
                ) : null}
                {address ? (
                  <Text size="sm" span>
                    {address}
                  </Text>
                ) : null}
                {residentId ? (
                  <AnchorLink
                    to="/residents/$id/merge/$otherId"
                    params={{ id: residentId, otherId: r.id }}
                    size="sm"
                  >
                    {t("residents.dup.compare")}
                  </AnchorLink>
                ) : null}
              </Group>
              <Group gap={4} mt={2}>
                {reasons.map((reason) => (
                  <SoftBadge key={reason} color="yellow" tt="none" size="sm">
                    {t(`residents.dup.reasons.${reason}`)}
                  </SoftBadge>
                ))}
              </Group>
            </li>
          );
        })}
      </Stack>
    </Alert>
  );
}
