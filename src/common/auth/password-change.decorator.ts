import { SetMetadata } from '@nestjs/common';

export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'allowedBeforePasswordChange';

/**
 * Marks a route a session that must change its password may still use
 * (reading the user, changing the password); every other route answers 403
 * `password_change_required` to it.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);
