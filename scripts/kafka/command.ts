// Running the JVM and Maven: the java binary, a quiet child process, the tail of its output.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

export function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}

/** Runs a command to completion without blocking this process; stdout and stderr together. */
export function runCollecting(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, output }))
  })
}

/** Runs a command to completion, keeping its output only to explain a failure. */
export async function runQuietly(command: string, args: string[], cwd: string): Promise<void> {
  const { code, output } = await runCollecting(command, args, { cwd })
  if (code !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${lastLines(output, 30)}`)
}
