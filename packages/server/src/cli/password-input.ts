import { createInterface } from 'node:readline';
import { CliError } from './context.js';

/**
 * Reads a password without putting it on the command line: from a prompt with echo off when stdin is a
 * terminal (asked twice), else the first line of stdin (`echo "$PW" | parley user passwd …`).
 */
export async function readPassword(prompt: string, input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  const password = input.isTTY ? await promptTwice(prompt, input as NodeJS.ReadStream) : await firstLine(input);
  if (password === '') throw new CliError('no password given (type it at the prompt, or pipe it on stdin)');
  return password;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

async function promptTwice(prompt: string, input: NodeJS.ReadStream): Promise<string> {
  const first = await promptHidden(`${prompt}: `, input);
  const second = await promptHidden(`${prompt} (again): `, input);
  if (first !== second) throw new CliError('the two passwords differ; nothing changed');
  return first;
}

function promptHidden(question: string, input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output: process.stderr, terminal: true });
    // Echo nothing of what is typed (readline writes typed characters through _writeToOutput).
    const muted = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    muted._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
