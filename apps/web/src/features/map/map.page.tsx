import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title.tsx";

/** Placeholder while the feature is built. */
export function MapPage() {
  const { t } = useTranslation();
  return <PageTitle>{t("nav.map")}</PageTitle>;
}
