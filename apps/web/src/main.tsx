import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./styles/fonts.css";
import "./styles/app.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { DirectionProvider, MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { I18nextProvider } from "react-i18next";
import { initI18n, readStoredLocale } from "./i18n/index.ts";
import { directionOf, DEFAULT_LOCALE } from "./i18n/locales.ts";
import { cssVariablesResolver, theme } from "./app/theme.ts";
import { queryClient, setOnUnauthenticated } from "./app/query-client.ts";
import { router } from "./app/router.tsx";

const PUBLIC_PATHS = ["/signin", "/resident/signin", "/invite/"];

setOnUnauthenticated(() => {
  const path = router.state.location.pathname;
  if (PUBLIC_PATHS.some((p) => path.startsWith(p))) return;
  queryClient.clear();
  void router.navigate({ to: "/signin", search: { redirect: router.state.location.href } });
});

// After a deploy, an open tab may ask for page chunks that no longer exist: reload once to get the new app.
window.addEventListener("vite:preloadError", () => {
  if (sessionStorage.getItem("kaveret.reloaded")) return;
  sessionStorage.setItem("kaveret.reloaded", "1");
  window.location.reload();
});

async function start() {
  const i18n = await initI18n();
  const root = document.getElementById("root");
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <DirectionProvider initialDirection={directionOf(readStoredLocale() ?? DEFAULT_LOCALE)}>
          <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
            <Notifications position="top-center" />
            <QueryClientProvider client={queryClient}>
              <RouterProvider router={router} />
            </QueryClientProvider>
          </MantineProvider>
        </DirectionProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void start();
