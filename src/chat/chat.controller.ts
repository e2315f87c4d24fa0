import { ChatScope } from '../common/auth/bearer.js';
import { Body, Controller, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { CancelResponse, ChatDto, ChatReply, EditMessageDto, TurnOptionsDto } from './chat.dto.js';
import { ChatService } from './chat.service.js';
import { ReplyWatches } from './reply-watches.js';
import { TurnResponder } from './turn-responder.js';

const STREAM_NOTE =
  'With stream: true (or Accept: text/event-stream) the reply is Server-Sent Events: message_created, token {delta}, ' +
  'message_completed {message}, title {title}, budget_warning {usedPercent, resetsAt}, error {error, code}, done. ' +
  'A turn past a budget is refused before anything is stored (402 budget_exceeded, with limit and resetsAt); ' +
  "without a key of one's own, a model or tool the shared key does not allow is refused (403 shared_key_policy), " +
  'and maxOutputTokens is lowered to the shared key\'s cap.';

/**
 * The 200 answer of a turn: the stored reply as JSON, or (stream: true or
 * Accept: text/event-stream) the events of the turn as they happen.
 */
const turnAnswer = () =>
  ApiOkResponse({
  description: 'The reply as JSON; with stream: true or Accept: text/event-stream, a Server-Sent Events stream',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(ChatReply) } },
    'text/event-stream': {
      schema: {
        type: 'string',
        description:
          'Server-Sent Events, each with an id: message_created {message}, token {delta}, message_completed {message}, ' +
          'title {title}, budget_warning {usedPercent, resetsAt}, error {error, code, message?}, then done {threadId, messageId}; ": heartbeat" comments between.',
      },
      example: 'id: 1\nevent: token\ndata: {"delta":"Hel"}\n\nid: 2\nevent: done\ndata: {"threadId":"…","messageId":"…"}\n\n',
    },
  },
});

@ApiTags('chat')
@ApiExtraModels(ChatReply)
@ChatScope()
@Controller('api')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly responder: TurnResponder,
    private readonly watches: ReplyWatches,
  ) {}

  @Post('chat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a message and get the reply; without threadId a new thread starts', description: STREAM_NOTE })
  @turnAnswer()
  async send(@CurrentUser() user: AuthUser, @Body() dto: ChatDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.responder.respond(request, response, dto.stream, (events, gone) => this.chat.chat(user.id, dto, events, gone));
  }

  @Post('threads/:id/run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the assistant on the thread as it stands', description: STREAM_NOTE })
  @turnAnswer()
  async run(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Body() dto: TurnOptionsDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.responder.respond(request, response, dto.stream, (events, gone) => this.chat.run(user.id, id, dto, events, gone));
  }

  @Post('threads/:id/regenerate')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new version of the last reply, as its sibling (every version is kept)', description: STREAM_NOTE })
  @turnAnswer()
  async regenerate(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Body() dto: TurnOptionsDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.responder.respond(request, response, dto.stream, (events, gone) => this.chat.regenerate(user.id, id, dto, events, gone));
  }

  @Post('threads/:id/messages/:messageId/edit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Edit a user message: its new version starts a branch, and the reply to it streams', description: STREAM_NOTE })
  @turnAnswer()
  async edit(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @IdParam('messageId', 'Message') messageId: string,
    @Body() dto: EditMessageDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.responder.respond(request, response, dto.stream, (events, gone) => this.chat.edit(user.id, id, messageId, dto, events, gone));
  }

  @Get('threads/:id/stream')
  @ApiOperation({
    summary: "Attach to the thread's running reply (from any instance); 204 when nothing runs",
    description:
      'Server-Sent Events: token {delta} from the Last-Event-ID on (event ids are character offsets into the reply, ' +
      'as on the stream that started it), then message_completed {message} or error {error, code, message?}, then done.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last event id the client saw; the text after it is replayed' })
  @ApiOkResponse({ description: 'The reply as Server-Sent Events' })
  @ApiNoContentResponse({ description: 'No reply is running in the thread' })
  async stream(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    await this.watches.attach(user.id, id, lastEventId, response);
  }

  @Post('threads/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop the reply being written (its text so far is kept, cancelled)' })
  @ApiOkResponse({ type: CancelResponse })
  async cancel(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string): Promise<CancelResponse> {
    const { runId, status } = await this.chat.cancel(user.id, id);
    return { message: 'Cancelled', runId, status };
  }
}
