// Drives the fake OpenAI with the official Node.js SDK and prints what came back as one JSON
// line: node drive-fake.mjs <baseURL> <png file>. FakeOpenAiNodeClientTest checks the result.
import OpenAI, { toFile } from 'openai';
import { readFileSync } from 'node:fs';

const [baseURL, pngPath] = process.argv.slice(2);
const client = new OpenAI({ apiKey: 'sk-node', baseURL, maxRetries: 0 });
const png = readFileSync(pngPath);
const file = (name) => toFile(png, name, { type: 'image/png' });
const result = {};

const model = await client.models.retrieve('gpt-image-2.6-sunburst');
result.model = { id: model.id, object: model.object, shutdown_date: model.shutdown_date ?? null };
result.listed = (await client.models.list()).data.map((m) => m.id);

const edited = await client.images.edit({
  model: 'gpt-image-2.6-sunburst',
  prompt: 'a node edit',
  image: [await file('a.png'), await file('b.png')],
  n: 2,
  size: '1536x1024',
  quality: 'low',
  output_format: 'webp',
  background: 'transparent',
});
result.edit = {
  count: edited.data.length,
  output_format: edited.output_format,
  background: edited.background,
  size: edited.size,
  webp: edited.data.every((d) => Buffer.from(d.b64_json, 'base64').subarray(8, 12).toString() === 'WEBP'),
  total_tokens: edited.usage.total_tokens,
};

async function failure(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return { status: e.status, type: e.type ?? null, code: e.code ?? null, param: e.param ?? null, message: e.message };
  }
}
result.gone = await failure(() => client.models.retrieve('gpt-image-1'));
result.unsupported = await failure(async () =>
  client.images.edit({ model: 'gpt-image-2', prompt: 'x', image: await file('a.png'), input_fidelity: 'high' }),
);

console.log(JSON.stringify(result));
