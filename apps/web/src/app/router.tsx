import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
} from "@tanstack/react-router";
import { PageLoader } from "../components/states.tsx";
import { ErrorPage } from "../features/errors/error.page.tsx";
import { NotFoundPage } from "../features/errors/not-found.page.tsx";
import { AppLayout } from "../features/shell/app-layout.tsx";
import { parseCommunitiesSearch, parseNewCommunitySearch, str } from "./search.ts";
import { parseResidentsSearch } from "../features/residents/residents-search.ts";
import { parseDuplicatesSearch } from "../features/duplicates/duplicates-search.ts";
import { parseAssetsSearch } from "../features/assets/assets-search.ts";
import { parseNewImportSearch } from "../features/imports/import-search.ts";
import { parseNeedsSearch } from "../features/needs/needs-search.ts";
import { parseReportSearch } from "../features/public-report/report-search.ts";
import { parseFormSearch, parseFormsSearch } from "../features/forms/forms-search.ts";
import { parseSurveySearch } from "../features/public-survey/survey-search.ts";
import { parseFieldFormSearch } from "../features/sync/field-search.ts";
import {
  parseBroadcastsSearch,
  parseNewBroadcastSearch,
} from "../features/broadcasts/broadcasts-search.ts";
import { parseHelpSearch } from "../features/emergency/help-search.ts";

const rootRoute = createRootRoute({
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: ErrorPage,
});

// Before sign-in.
const signinRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signin",
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({
    redirect: str(s.redirect, 500),
  }),
  component: lazyRouteComponent(() => import("../features/auth/signin.page.tsx"), "SignInPage"),
});
const residentSigninRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/resident/signin",
  component: lazyRouteComponent(
    () => import("../features/auth/resident-signin.page.tsx"),
    "ResidentSignInPage",
  ),
});
const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invite/$token",
  component: lazyRouteComponent(() => import("../features/auth/invite.page.tsx"), "InvitePage"),
});

// Public, no account and no staff shell: a resident's need report, and the same form to embed.
const reportRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/report/$departmentId",
  validateSearch: parseReportSearch,
  component: lazyRouteComponent(
    () => import("../features/public-report/public-report.page.tsx"),
    "PublicReportPage",
  ),
});
const embedReportRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/embed/report/$departmentId",
  validateSearch: parseReportSearch,
  component: lazyRouteComponent(
    () => import("../features/public-report/public-report.page.tsx"),
    "EmbedReportPage",
  ),
});

// Public, no account: emergency alerts on this phone for a chosen neighbourhood.
const alertsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/alerts/$departmentId",
  validateSearch: parseReportSearch,
  component: lazyRouteComponent(
    () => import("../features/area-alerts/area-alerts.page.tsx"),
    "AreaAlertsPage",
  ),
});

// Signed in: the app shell around every page.
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: AppLayout });

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  component: lazyRouteComponent(() => import("../features/home/home.page.tsx"), "HomePage"),
});
const communitiesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/communities",
  validateSearch: parseCommunitiesSearch,
  component: lazyRouteComponent(
    () => import("../features/communities/communities-list.page.tsx"),
    "CommunitiesListPage",
  ),
});
const newCommunityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/communities/new",
  validateSearch: parseNewCommunitySearch,
  component: lazyRouteComponent(
    () => import("../features/communities/community-form.page.tsx"),
    "NewCommunityPage",
  ),
});
const communityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/communities/$id",
  component: lazyRouteComponent(
    () => import("../features/communities/community.page.tsx"),
    "CommunityPage",
  ),
});
const editCommunityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/communities/$id/edit",
  component: lazyRouteComponent(
    () => import("../features/communities/community-form.page.tsx"),
    "EditCommunityPage",
  ),
});
const residentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents",
  validateSearch: parseResidentsSearch,
  component: lazyRouteComponent(
    () => import("../features/residents/residents-list.page.tsx"),
    "ResidentsListPage",
  ),
});
const newResidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents/new",
  component: lazyRouteComponent(
    () => import("../features/residents/resident-form.page.tsx"),
    "NewResidentPage",
  ),
});
const duplicatesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents/duplicates",
  validateSearch: parseDuplicatesSearch,
  component: lazyRouteComponent(
    () => import("../features/duplicates/duplicates.page.tsx"),
    "DuplicatesPage",
  ),
});
const residentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents/$id",
  component: lazyRouteComponent(
    () => import("../features/residents/resident.page.tsx"),
    "ResidentPage",
  ),
});
const editResidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents/$id/edit",
  component: lazyRouteComponent(
    () => import("../features/residents/resident-form.page.tsx"),
    "EditResidentPage",
  ),
});
const mergeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/residents/$id/merge/$otherId",
  component: lazyRouteComponent(() => import("../features/duplicates/merge.page.tsx"), "MergePage"),
});
const assetsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/assets",
  validateSearch: parseAssetsSearch,
  component: lazyRouteComponent(
    () => import("../features/assets/assets-list.page.tsx"),
    "AssetsListPage",
  ),
});
const newAssetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/assets/new",
  component: lazyRouteComponent(
    () => import("../features/assets/asset-form.page.tsx"),
    "NewAssetPage",
  ),
});
const assetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/assets/$id",
  component: lazyRouteComponent(() => import("../features/assets/asset.page.tsx"), "AssetPage"),
});
const editAssetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/assets/$id/edit",
  component: lazyRouteComponent(
    () => import("../features/assets/asset-form.page.tsx"),
    "EditAssetPage",
  ),
});
const importsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/imports",
  component: lazyRouteComponent(
    () => import("../features/imports/imports.page.tsx"),
    "ImportsPage",
  ),
});
const newImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/imports/new",
  validateSearch: parseNewImportSearch,
  component: lazyRouteComponent(
    () => import("../features/imports/import-new.page.tsx"),
    "ImportNewPage",
  ),
});
const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/imports/$id",
  component: lazyRouteComponent(() => import("../features/imports/import.page.tsx"), "ImportPage"),
});
const mapRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/map",
  validateSearch: (s: Record<string, unknown>): { communityId?: string } => {
    const id = str(s.communityId, 80);
    return { communityId: id && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined };
  },
  component: lazyRouteComponent(() => import("../features/map/map.page.tsx"), "MapPage"),
});
const needsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/needs",
  validateSearch: parseNeedsSearch,
  component: lazyRouteComponent(
    () => import("../features/needs/needs-queue.page.tsx"),
    "NeedsQueuePage",
  ),
});
const newNeedRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/needs/new",
  component: lazyRouteComponent(
    () => import("../features/needs/need-form.page.tsx"),
    "NewNeedPage",
  ),
});
const broadcastsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/broadcasts",
  validateSearch: parseBroadcastsSearch,
  component: lazyRouteComponent(
    () => import("../features/broadcasts/broadcasts-list.page.tsx"),
    "BroadcastsListPage",
  ),
});
const newBroadcastRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/broadcasts/new",
  validateSearch: parseNewBroadcastSearch,
  component: lazyRouteComponent(
    () => import("../features/broadcasts/broadcast-compose.page.tsx"),
    "NewBroadcastPage",
  ),
});
const broadcastRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/broadcasts/$id",
  component: lazyRouteComponent(
    () => import("../features/broadcasts/broadcast.page.tsx"),
    "BroadcastPage",
  ),
});
const editBroadcastRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/broadcasts/$id/edit",
  component: lazyRouteComponent(
    () => import("../features/broadcasts/broadcast-compose.page.tsx"),
    "EditBroadcastPage",
  ),
});
const needsSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/needs/settings",
  component: lazyRouteComponent(
    () => import("../features/needs/needs-settings.page.tsx"),
    "NeedsSettingsPage",
  ),
});
const needRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/needs/$id",
  component: lazyRouteComponent(() => import("../features/needs/need.page.tsx"), "NeedPage"),
});
const formsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/forms",
  validateSearch: parseFormsSearch,
  component: lazyRouteComponent(
    () => import("../features/forms/forms-list.page.tsx"),
    "FormsListPage",
  ),
});
const formRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/forms/$id",
  validateSearch: parseFormSearch,
  component: lazyRouteComponent(() => import("../features/forms/form.page.tsx"), "FormPage"),
});
const formEntryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/forms/$id/enter",
  component: lazyRouteComponent(
    () => import("../features/forms/form-entry.page.tsx"),
    "FormEntryPage",
  ),
});
// Public, no account: a survey answered by link or QR code.
const surveyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/s/$formId",
  validateSearch: parseSurveySearch,
  component: lazyRouteComponent(
    () => import("../features/public-survey/public-survey.page.tsx"),
    "PublicSurveyPage",
  ),
});
const fieldRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/field",
  component: lazyRouteComponent(() => import("../features/sync/field.page.tsx"), "FieldPage"),
});
const fieldSyncRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/field/sync",
  component: lazyRouteComponent(
    () => import("../features/sync/sync-issues.page.tsx"),
    "SyncIssuesPage",
  ),
});
const fieldFormRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/field/forms/$id",
  validateSearch: parseFieldFormSearch,
  component: lazyRouteComponent(
    () => import("../features/sync/field-form.page.tsx"),
    "FieldFormPage",
  ),
});
// Emergency mode (journey 5): board, my calls, help requests, offers, a past emergency.
const emergencyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency",
  component: lazyRouteComponent(
    () => import("../features/emergency/emergency.page.tsx"),
    "EmergencyPage",
  ),
});
const emergencyCallsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency/calls",
  component: lazyRouteComponent(() => import("../features/emergency/calls.page.tsx"), "CallsPage"),
});
const emergencyHelpRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency/help",
  validateSearch: parseHelpSearch,
  component: lazyRouteComponent(
    () => import("../features/emergency/help.page.tsx"),
    "HelpRequestsPage",
  ),
});
const emergencyHelpOneRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency/help/$id",
  component: lazyRouteComponent(
    () => import("../features/emergency/help-request.page.tsx"),
    "HelpRequestPage",
  ),
});
const emergencyOfferRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency/offer",
  component: lazyRouteComponent(() => import("../features/emergency/offer.page.tsx"), "OfferPage"),
});
const emergencyOneRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/emergency/$id",
  component: lazyRouteComponent(
    () => import("../features/emergency/summary.page.tsx"),
    "EmergencySummaryPage",
  ),
});
const teamRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/team",
  component: lazyRouteComponent(() => import("../features/team/team.page.tsx"), "TeamPage"),
});
const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/audit",
  component: lazyRouteComponent(() => import("../features/audit/audit.page.tsx"), "AuditPage"),
});
const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/dev/outbox",
  component: lazyRouteComponent(() => import("../features/dev/outbox.page.tsx"), "OutboxPage"),
});
const twoFactorRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/security/two-factor",
  component: lazyRouteComponent(
    () => import("../features/security/two-factor.page.tsx"),
    "TwoFactorPage",
  ),
});

const routeTree = rootRoute.addChildren([
  signinRoute,
  residentSigninRoute,
  inviteRoute,
  reportRoute,
  alertsRoute,
  embedReportRoute,
  surveyRoute,
  appRoute.addChildren([
    homeRoute,
    communitiesRoute,
    newCommunityRoute,
    communityRoute,
    editCommunityRoute,
    residentsRoute,
    newResidentRoute,
    duplicatesRoute,
    residentRoute,
    editResidentRoute,
    mergeRoute,
    assetsRoute,
    newAssetRoute,
    assetRoute,
    editAssetRoute,
    importsRoute,
    newImportRoute,
    importRoute,
    mapRoute,
    needsRoute,
    newNeedRoute,
    needsSettingsRoute,
    needRoute,
    broadcastsRoute,
    newBroadcastRoute,
    broadcastRoute,
    editBroadcastRoute,
    formsRoute,
    formRoute,
    formEntryRoute,
    fieldRoute,
    fieldSyncRoute,
    fieldFormRoute,
    emergencyRoute,
    emergencyCallsRoute,
    emergencyHelpRoute,
    emergencyHelpOneRoute,
    emergencyOfferRoute,
    emergencyOneRoute,
    teamRoute,
    auditRoute,
    outboxRoute,
    twoFactorRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  defaultPendingComponent: () => <PageLoader />,
  defaultPendingMs: 150,
  defaultPreload: "intent",
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
