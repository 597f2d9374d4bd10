export { findJupyter, jupyterDataDir, which, INSTALL_JUPYTER_HINT, type JupyterInstall } from './find';
export {
  KERNEL_NAME, KERNEL_DISPLAY_NAME, kernelSpec, kernelScript, writeKernelSpec, registeredKernel, kernelIsCurrent, ensureKernel,
  installKernel, removeKernel, tslabBinary, type KernelSpec, type KernelScope,
} from './kernel';
export { importedCheckout } from './checkout';
