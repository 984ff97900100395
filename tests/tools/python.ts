import { spawnSync } from 'node:child_process';

/** Debian's Python, the one with python3-torch and python3-onnx (pyenv's python3 has neither). */
export const PYTHON = '/usr/bin/python3';

/**
 * Why the model tooling cannot run here, or null when it can. Tests that need it skip with
 * this message, except under CI=true, where CI installs PyTorch and a skip would hide a failure.
 */
export function pythonProblem(testName: string): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
  const problem = probe.error
    ? `${PYTHON} not found (${probe.error.message})`
    : probe.status !== 0
      ? `${PYTHON} cannot import torch and onnx: ${probe.stderr.trim().split('\n').at(-1) ?? ''}`
      : null;
  if (problem && process.env.CI === 'true') {
    throw new Error(`${testName} needs PyTorch in CI: ${problem} (apt-get install python3-torch python3-onnx)`);
  }
  if (problem) console.warn(`skipping ${testName}: ${problem} (apt-get install python3-torch python3-onnx)`);
  return problem;
}
