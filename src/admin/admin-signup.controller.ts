import { Body, Controller, Delete, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { InviteRecord, SignupSettingsRecord } from '../auth/signup.repository.js';
import { SignupPolicyService, type Acting } from '../auth/signup-policy.service.js';
import { IdParam } from '../common/http/id-param.js';
import { AdminOnly, CurrentAdmin } from './admin.guard.js';
import { CreatedInviteResponse, CreateInviteDto, InviteResponse, InvitesQuery, SetSignupPolicyDto, SignupPolicyResponse } from './admin-signup.dto.js';

const toPolicyResponse = (settings: SignupSettingsRecord): SignupPolicyResponse => ({
  policy: settings.policy,
  domains: settings.domains,
  updatedAt: settings.updatedAt.toISOString(),
});

const toInviteResponse = (invite: InviteRecord, now = Date.now()): InviteResponse => ({
  id: invite.id,
  maxUses: invite.maxUses,
  uses: invite.uses,
  expiresAt: invite.expiresAt.toISOString(),
  revokedAt: invite.revokedAt?.toISOString() ?? null,
  createdAt: invite.createdAt.toISOString(),
  active: invite.revokedAt === null && invite.uses < invite.maxUses && invite.expiresAt.getTime() > now,
});

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin')
export class AdminSignupController {
  constructor(private readonly signup: SignupPolicyService) {}

  @Get('signup-policy')
  @ApiOkResponse({ type: SignupPolicyResponse })
  async policy(): Promise<SignupPolicyResponse> {
    return toPolicyResponse(await this.signup.current());
  }

  @Put('signup-policy')
  @ApiOperation({ summary: 'Who may sign up: open, invite, domain (with domains) or closed' })
  @ApiOkResponse({ type: SignupPolicyResponse })
  async setPolicy(@Body() dto: SetSignupPolicyDto, @CurrentAdmin() acting: Acting): Promise<SignupPolicyResponse> {
    return toPolicyResponse(await this.signup.setPolicy(dto.policy, dto.domains, acting));
  }

  @Get('invites')
  @ApiOperation({ summary: 'Invites, newest first (their tokens are never shown again)' })
  @ApiOkResponse({ type: [InviteResponse] })
  async invites(@Query() query: InvitesQuery): Promise<InviteResponse[]> {
    return (await this.signup.listInvites(query.limit ?? 50, query.offset ?? 0)).map((invite) => toInviteResponse(invite));
  }

  @Post('invites')
  @ApiOperation({ summary: 'Create an invite (single-use by default); the token is in this answer only' })
  @ApiCreatedResponse({ type: CreatedInviteResponse })
  async createInvite(@Body() dto: CreateInviteDto, @CurrentAdmin() acting: Acting): Promise<CreatedInviteResponse> {
    const { invite, token } = await this.signup.createInvite({ maxUses: dto.maxUses ?? 1, expiresInHours: dto.expiresInHours }, acting);
    return { ...toInviteResponse(invite), token };
  }

  @Delete('invites/:id')
  @ApiOperation({ summary: 'Revoke an invite' })
  @ApiOkResponse({ type: InviteResponse })
  async revokeInvite(@IdParam('id', 'Invite') id: string, @CurrentAdmin() acting: Acting): Promise<InviteResponse> {
    return toInviteResponse(await this.signup.revokeInvite(id, acting));
  }
}
