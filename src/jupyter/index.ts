export { findJupyter, jupyterDataDir, which, missingJupyterApp, INSTALL_JUPYTER_HINT, INSTALL_JUPYTER_COMMANDS, type JupyterInstall } from './find';
export {
  KERNEL_NAME, KERNEL_DISPLAY_NAME, kernelSpec, kernelScript, writeKernelSpec, registeredKernel, kernelIsCurrent, ensureKernel,
  installKernel, removeKernel, tslabBinary, type KernelSpec, type KernelScope,
} from './kernel';
export { importedCheckout } from './checkout';
