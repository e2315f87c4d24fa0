import { Body, Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfirmationResponse as Confirmation } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { Public } from '../common/auth/public.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { sendAttachment } from '../files/files.controller.js';
import { CreatedShareResponse, CreateShareDto, SharedThreadResponse, ShareResponse } from './shares.dto.js';
import { SharesService } from './shares.service.js';

@ApiTags('shares')
@Controller('api')
export class SharesController {
  constructor(private readonly shares: SharesService) {}

  @Post('threads/:id/shares')
  @ApiOperation({ summary: "Share a read-only snapshot of the thread's conversation as it is now; the token is shown this once" })
  @ApiCreatedResponse({ type: CreatedShareResponse })
  create(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string, @Body() dto: CreateShareDto): Promise<CreatedShareResponse> {
    return this.shares.create(user.id, id, dto);
  }

  @Get('shares')
  @ApiOperation({ summary: 'Your share links, newest first (without their tokens)' })
  @ApiOkResponse({ type: [ShareResponse] })
  list(@CurrentUser() user: AuthUser): Promise<ShareResponse[]> {
    return this.shares.list(user.id);
  }

  @Delete('shares/:id')
  @ApiOperation({ summary: 'Revoke a share link: it answers 404 from now on' })
  @ApiOkResponse({ type: Confirmation })
  async revoke(@CurrentUser() user: AuthUser, @IdParam('id', 'Share') id: string): Promise<Confirmation> {
    await this.shares.revoke(user.id, id);
    return { message: 'Share link revoked' };
  }

  @Public()
  @Get('shared/:token')
  @ApiOperation({ summary: 'A shared conversation, for anyone with its link (no session needed); rate limited per address' })
  @ApiOkResponse({ type: SharedThreadResponse })
  async read(@Param('token') token: string, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SharedThreadResponse> {
    // A revoked link must stop working everywhere: nothing keeps a copy, and the link's address is not passed on.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Robots-Tag', 'noindex, nofollow');
    return this.shares.read(token, request.ip ?? '');
  }

  @Public()
  @Get('shared/:token/files/:position')
  @ApiOperation({ summary: 'A file of a shared conversation whose owner included files (its position among them); no session needed, rate limited per address' })
  @ApiProduces('application/octet-stream')
  async readFile(
    @Param('token') token: string,
    @Param('position') position: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { file, body } = await this.shares.readFile(token, position, request.ip ?? '');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Robots-Tag', 'noindex, nofollow');
    await sendAttachment(response, file, body);
  }
}
