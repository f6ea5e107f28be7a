import { Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AssetType } from "@kaveret/contracts";
import { ASSET_TYPE_STYLES, assetTypeLabel } from "./asset-types.ts";

/** The type's glyph on its colour (decorative: the type's name is always next to it). */
export function AssetTypeIcon({ type, size = 28 }: { type: AssetType; size?: number }) {
  const style = ASSET_TYPE_STYLES[type];
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
      style={{ flex: "none" }}
    >
      <circle cx="16" cy="16" r="16" fill={style.color} />
      <g transform="translate(6 6) scale(0.8333)">
        <path
          d={style.icon}
          fill="none"
          stroke="#fff"
          strokeWidth={2.2}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </g>
    </svg>
  );
}

/** Icon and the type's name, e.g. for a card or the asset page. */
export function AssetTypeLabel({ type, size = 22 }: { type: AssetType; size?: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <AssetTypeIcon type={type} size={size} />
      <Text size="sm" span>
        {assetTypeLabel(t, type)}
      </Text>
    </Group>
  );
}
