import { Param, ParseUUIDPipe } from '@nestjs/common';
import { notFound } from '../errors/domain-error.js';

/** A UUID path parameter; anything else names no resource, so it is a 404. */
export const IdParam = (name: string, what: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => notFound(what) }));
