import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title.tsx";

/** Placeholder while the feature is built. */
export function AssetPage() {
  const { t } = useTranslation();
  return <PageTitle>{t("nav.assets")}</PageTitle>;
}
