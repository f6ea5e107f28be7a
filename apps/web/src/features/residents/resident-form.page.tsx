import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title.tsx";

/** Placeholder while the feature is built. */
export function NewResidentPage() {
  const { t } = useTranslation();
  return <PageTitle>{t("nav.residents")}</PageTitle>;
}

/** Placeholder while the feature is built. */
export function EditResidentPage() {
  return <NewResidentPage />;
}
