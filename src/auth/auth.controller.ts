import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionOnly } from '../common/auth/bearer.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { AllowedBeforePasswordChange } from '../common/auth/password-change.decorator.js';
import { Public } from '../common/auth/public.decorator.js';
import { signIn, signOut } from '../common/auth/session.js';
import { ChangePasswordDto, DeleteAccountDto, LoginDto, ConfirmationResponse, RegisterDto, UserResponse } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { toUserResponse } from './user.mapper.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiCreatedResponse({ type: UserResponse })
  async register(@Body() dto: RegisterDto, @Req() request: Request): Promise<UserResponse> {
    const user = await this.auth.register(dto, request.ip ?? '');
    await signIn(request, user.id);
    await this.auth.signedIn(user, request.sessionID, request.ip ?? '');
    return toUserResponse(user);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in (a new session id is issued)' })
  @ApiOkResponse({ type: UserResponse })
  async login(@Body() dto: LoginDto, @Req() request: Request): Promise<UserResponse> {
    const user = await this.auth.login(dto, request.ip ?? '');
    await signIn(request, user.id, { passwordChangeRequired: user.mustChangePassword });
    await this.auth.signedIn(user, request.sessionID, request.ip ?? '');
    return toUserResponse(user);
  }

  @Public()
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out: the session ends on the server' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<ConfirmationResponse> {
    await signOut(request, response);
    return { message: 'Signed out' };
  }

  @Get('user')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return toUserResponse(await this.users.get(user.id));
  }

  @Post('user/password')
  @SessionOnly()
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiOperation({ summary: "Change the password (ends the user's other sessions)" })
  @ApiOkResponse({ type: ConfirmationResponse })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
  ): Promise<ConfirmationResponse> {
    await this.auth.changePassword(user.id, dto, request.sessionID, request.ip ?? '');
    // Saved with the session when the response ends: this session is free again.
    delete request.session.passwordChangeRequired;
    return { message: 'Password changed; other sessions were signed out' };
  }

  @Delete('user')
  @SessionOnly()
  @ApiOperation({ summary: 'Delete the account and all its data' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async deleteAccount(
    @CurrentUser() user: AuthUser,
    @Body() dto: DeleteAccountDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConfirmationResponse> {
    await this.auth.deleteAccount(user.id, dto.password, request.ip ?? '');
    await signOut(request, response);
    return { message: 'Account deleted' };
  }
}
