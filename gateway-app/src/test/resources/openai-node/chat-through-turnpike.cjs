// Drives Turnpike's OpenAI surface with the official OpenAI Node client (the pinned `openai` package installed by
// scripts/install-openai-node.sh) and prints what the client made of each answer as one JSON line.
// Environment: OPENAI_NODE_DIR (the install), TURNPIKE_BASE_URL (http://127.0.0.1:<port>/v1), TURNPIKE_KEY, MODEL.
'use strict';
const path = require('path');
const { OpenAI } = require(path.join(process.env.OPENAI_NODE_DIR, 'node_modules', 'openai'));

const tools = [{
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
    },
  },
}];

function client(apiKey) {
  return new OpenAI({ apiKey, baseURL: process.env.TURNPIKE_BASE_URL, maxRetries: 0, timeout: 20000 });
}

async function streamedToolCalls(openai) {
  const stream = openai.chat.completions.stream({
    model: process.env.MODEL,
    messages: [{ role: 'user', content: 'What is the weather like in Boston and Madison today?' }],
    tools,
    stream_options: { include_usage: true },
  });
  const argumentsDone = [];
  stream.on('tool_calls.function.arguments.done', (event) => argumentsDone.push(event.name));
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
  }
  const completion = await stream.finalChatCompletion();
  return { chunks, argumentsDone, completion };
}

async function wholeAnswer(openai) {
  const { data, request_id } = await openai.chat.completions
    .create({ model: process.env.MODEL, messages: [{ role: 'user', content: 'Say hello.' }] })
    .withResponse();
  return { completion: data, requestId: request_id };
}

async function errorOf(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return { name: e.constructor.name, status: e.status ?? null, code: e.code ?? null, type: e.type ?? null,
      message: e.message };
  }
}

async function main() {
  const openai = client(process.env.TURNPIKE_KEY);
  const result = {};
  result.stream = await streamedToolCalls(openai);
  result.whole = await wholeAnswer(openai);
  result.midStreamError = await errorOf(async () => {
    const stream = await openai.chat.completions.create({ model: process.env.MODEL, stream: true,
      messages: [{ role: 'user', content: 'fail mid-stream' }] });
    for await (const chunk of stream) {
      // read until the error chunk raises
    }
  });
  result.refusedKey = await errorOf(() => client('tp-vk-not-a-key').chat.completions.create({
    model: process.env.MODEL, messages: [{ role: 'user', content: 'hi' }] }));
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(1);
});
