import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { AppRoute } from './routes.js';

export interface RouteFields {
  /** Fields of the route's @Body() DTO (empty when it reads no JSON body). */
  body: string[];
  /** The body fields without @IsOptional() (or @ValidateIf()): a body usually needs them. */
  required: string[];
  /** Fields of the route's @Query() DTO. */
  query: string[];
}

function controllerClass(app: INestApplication, name: string): (new (...args: never[]) => object) | undefined {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const metatype = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (metatype?.name === name) return metatype;
    }
  }
  return undefined;
}

function dtoFields(dto: unknown): { fields: string[]; required: string[] } {
  if (typeof dto !== 'function' || dto === Object) return { fields: [], required: [] };
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const fields = [...new Set(metadata.map((entry) => entry.propertyName))].sort();
  const conditional = new Set(metadata.filter((entry) => entry.type === ValidationTypes.CONDITIONAL_VALIDATION).map((entry) => entry.propertyName));
  return { fields, required: fields.filter((field) => !conditional.has(field)) };
}

/**
 * The fields a route's handler reads from the body and the query, read from
 * its DTO classes (their class-validator metadata), so that generated input
 * can aim at what each route accepts, and new routes are covered as they come.
 */
export function routeFields(app: INestApplication, route: AppRoute): RouteFields {
  const controller = controllerClass(app, route.controller);
  const fields: RouteFields = { body: [], required: [], query: [] };
  if (!controller) return fields;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, route.handler) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, route.handler) ?? []) as unknown[];
  for (const [key, { index }] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    if (kind === RouteParamtypes.BODY) {
      const { fields: body, required } = dtoFields(types[index]);
      fields.body.push(...body);
      fields.required.push(...required);
    }
    if (kind === RouteParamtypes.QUERY) fields.query.push(...dtoFields(types[index]).fields);
  }
  return fields;
}
