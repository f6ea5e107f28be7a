import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title.tsx";

/** Placeholder while the feature is built. */
export function NewAssetPage() {
  const { t } = useTranslation();
  return <PageTitle>{t("nav.assets")}</PageTitle>;
}

/** Placeholder while the feature is built. */
export function EditAssetPage() {
  return <NewAssetPage />;
}
