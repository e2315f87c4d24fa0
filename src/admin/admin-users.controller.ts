import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import type { Acting } from '../auth/signup-policy.service.js';
import { IdParam } from '../common/http/id-param.js';
import { AdminOnly, CurrentAdmin } from './admin.guard.js';
import { AdminUserResponse, ChangeRoleDto, ListUsersQuery } from './admin-users.dto.js';
import { AdminUsersService } from './admin-users.service.js';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/users')
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts, oldest first, with their usage this month (total in X-Total-Count)' })
  @ApiOkResponse({ type: [AdminUserResponse] })
  async list(@Query() query: ListUsersQuery, @Res({ passthrough: true }) response: Response): Promise<AdminUserResponse[]> {
    const { users, total } = await this.admin.list(query);
    response.setHeader('X-Total-Count', String(total));
    return users;
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminUserResponse })
  get(@IdParam('id', 'User') id: string): Promise<AdminUserResponse> {
    return this.admin.get(id);
  }

  @Patch(':id/role')
  @ApiOperation({ summary: 'Make an administrator or a user (never the last administrator)' })
  @ApiOkResponse({ type: AdminUserResponse })
  changeRole(@IdParam('id', 'User') id: string, @Body() dto: ChangeRoleDto, @CurrentAdmin() acting: Acting): Promise<AdminUserResponse> {
    return this.admin.changeRole(id, dto.role, acting);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable the account: every session ends at once, sign-in is refused' })
  @ApiOkResponse({ type: AdminUserResponse })
  disable(@IdParam('id', 'User') id: string, @CurrentAdmin() acting: Acting): Promise<AdminUserResponse> {
    return this.admin.disable(id, acting);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminUserResponse })
  enable(@IdParam('id', 'User') id: string, @CurrentAdmin() acting: Acting): Promise<AdminUserResponse> {
    return this.admin.enable(id, acting);
  }

  @Post(':id/require-password-change')
  @HttpCode(200)
  @ApiOperation({ summary: 'The next sign-in may only change the password' })
  @ApiOkResponse({ type: AdminUserResponse })
  requirePasswordChange(@IdParam('id', 'User') id: string, @CurrentAdmin() acting: Acting): Promise<AdminUserResponse> {
    return this.admin.requirePasswordChange(id, acting);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete the account and all its data (as the user deleting it)' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async delete(@IdParam('id', 'User') id: string, @CurrentAdmin() acting: Acting): Promise<ConfirmationResponse> {
    await this.admin.delete(id, acting);
    return { message: 'Account deleted' };
  }
}
