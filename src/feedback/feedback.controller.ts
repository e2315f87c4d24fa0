import { Body, Controller, Delete, Get, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfirmationResponse as Confirmation } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { FeedbackExportItem, FeedbackListQuery, FeedbackResponse, SetFeedbackDto } from './feedback.dto.js';
import { FeedbackService } from './feedback.service.js';

@ApiTags('feedback')
@Controller('api')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Put('messages/:id/feedback')
  @ApiOperation({ summary: 'Rate a reply up or down, with an optional comment (again: replaces the rating)' })
  @ApiOkResponse({ type: FeedbackResponse })
  set(@CurrentUser() user: AuthUser, @IdParam('id', 'Message') id: string, @Body() dto: SetFeedbackDto): Promise<FeedbackResponse> {
    return this.feedback.set(user.id, id, dto);
  }

  @Delete('messages/:id/feedback')
  @ApiOperation({ summary: "Clear a reply's rating" })
  @ApiOkResponse({ type: Confirmation })
  async clear(@CurrentUser() user: AuthUser, @IdParam('id', 'Message') id: string): Promise<Confirmation> {
    await this.feedback.clear(user.id, id);
    return { message: 'Feedback cleared' };
  }

  @Get('feedback')
  @ApiOperation({ summary: 'Your ratings with the replies they rate, newest first (total in X-Total-Count); format=csv downloads them all' })
  @ApiOkResponse({ type: [FeedbackExportItem] })
  @ApiProduces('application/json', 'text/csv')
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: FeedbackListQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FeedbackExportItem[] | undefined> {
    if (query.format !== 'csv') {
      const { items, total } = await this.feedback.list(user.id, query);
      response.setHeader('X-Total-Count', String(total));
      return items;
    }
    response.attachment('feedback.csv');
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(Readable.from(this.feedback.csv(user.id, query)), response);
    } catch (error) {
      // The client went away mid-download: nothing left to answer.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
    return undefined;
  }
}
