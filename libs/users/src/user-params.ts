import { Rules } from '@lib/appwrite';
import { bodyParam, pathParam } from '@lib/http';

export const userIdPath = pathParam('userId', Rules.UID, 'string', 'User ID.');
export const sessionIdPath = pathParam('sessionId', Rules.UID, 'string', 'Session ID.');
export const newUserId = bodyParam('userId', Rules.CustomId, 'string', 'User ID. Choose your own unique ID or pass the string `unique()` to auto generate it. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char. Max length is 36 chars.', { required: true, example: 'unique()' });
export const emailBody = (required: boolean) => bodyParam('email', Rules.Email, 'string', 'User email.', { required, default: null, example: 'email@example.com' });
export const nameBody = bodyParam('name', Rules.Text(128), 'string', 'User name. Max length: 128 chars.', { default: '', example: '[NAME]' });
export const hashedPasswordBody = (description: string) => bodyParam('password', Rules.Password, 'string', description, { required: true });
