import { handlers } from '@/app/_lib/auth/config';

export const { GET, POST } = handlers;
