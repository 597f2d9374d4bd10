/**
 * The tape-free training step: a network description compiled into a fixed graph of kernel-pack
 * calls with a hand-written backward pass and a fused optimiser (see ./step.ts).
 */
export { TapeFreeStep, type TapeFreeStepResult } from './step';
