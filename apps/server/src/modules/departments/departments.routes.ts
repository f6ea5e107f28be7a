import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  departmentSettingsSchema,
  errorBodySchema,
  updateDepartmentNamesBodySchema,
  updateDepartmentSettingsBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./departments.service.ts";

export async function departmentsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ["department"];
  const errors = {
    400: errorBodySchema,
    401: errorBodySchema,
    403: errorBodySchema,
    404: errorBodySchema,
  };
  app.get(
    "/api/department/settings",
    {
      schema: {
        tags,
        summary: "The active department's settings (managers)",
        response: { 200: departmentSettingsSchema, ...errors },
      },
    },
    async (request) => service.getSettings(await contextOf(request)),
  );
  app.patch(
    "/api/department/settings",
    {
      schema: {
        tags,
        summary: "Change the department's settings (managers)",
        body: updateDepartmentSettingsBodySchema,
        response: { 200: departmentSettingsSchema, ...errors },
      },
    },
    async (request) => service.updateSettings(await contextOf(request), request.body),
  );
  app.patch(
    "/api/department/names",
    {
      schema: {
        tags,
        summary:
          'Name the department in other languages (managers): the names residents\' pages show; "" clears one',
        body: updateDepartmentNamesBodySchema,
        response: { 200: departmentSettingsSchema, ...errors },
      },
    },
    async (request) => service.updateNames(await contextOf(request), request.body),
  );
}
