import { z } from 'zod';

const TextContent = z.object({ text: z.string() });

const PostNode = z.object({ tag: z.string(), text: z.string().optional() }).passthrough();
const PostBody = z.object({ title: z.string().optional(), content: z.array(z.array(PostNode)).optional() });
/** Rich-text posts arrive either bare or wrapped in a language key (`zh_cn`, `en_us`). */
const PostContent = z.union([PostBody, z.record(z.string(), PostBody)]);

function postText(body: z.output<typeof PostBody>): string {
  const lines = (body.content ?? []).map((line) =>
    line
      .filter((node) => node.tag === 'text' || node.tag === 'a' || node.tag === 'md')
      .map((node) => node.text ?? '')
      .join(''),
  );
  return [body.title ?? '', ...lines].filter(Boolean).join(' ');
}

/**
 * The words a person typed, from `message.content` (a JSON string). Undefined for
 * images, files, stickers and anything unreadable.
 *
 * @example
 * messageText('text', '{"text":"@_user_1 payslip Jan"}') // '@_user_1 payslip Jan'
 */
export function messageText(messageType: string, content: string): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (messageType === 'text') {
    const parsed = TextContent.safeParse(raw);
    return parsed.success ? parsed.data.text : undefined;
  }
  if (messageType === 'post') {
    const bare = PostBody.safeParse(raw);
    if (bare.success && bare.data.content) return postText(bare.data) || undefined;
    const wrapped = PostContent.safeParse(raw);
    if (!wrapped.success) return undefined;
    const first = Object.values(wrapped.data as Record<string, z.output<typeof PostBody>>)[0];
    return first ? postText(first) || undefined : undefined;
  }
  return undefined;
}
