import { Rules } from '@lib/appwrite';
import { UserDomainError } from '../user.errors';
import type { TargetProviderType } from '../user.events';

/** Pure: an email target needs an email, an sms target a phone number; push tokens are free text. */
export function checkTargetIdentifier(providerType: TargetProviderType, identifier: string): void {
  if (providerType === 'email' && !Rules.Email.check(identifier)) throw new UserDomainError('general_invalid_email');
  if (providerType === 'sms' && !Rules.Phone.check(identifier)) throw new UserDomainError('general_invalid_phone');
}
