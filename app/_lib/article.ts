import 'server-only';
import { cache } from 'react';
import { getArticleBySlug } from '@/db/queries/articles';

/** One database read per render, shared by generateMetadata and the page. */
export const loadArticle = cache((slug: string) => getArticleBySlug(slug));
