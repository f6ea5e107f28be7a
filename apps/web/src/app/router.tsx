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
  appRoute.addChildren([
    homeRoute,
    communitiesRoute,
    newCommunityRoute,
    communityRoute,
    editCommunityRoute,
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
