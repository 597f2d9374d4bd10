export { findJupyter, jupyterDataDir, which, INSTALL_JUPYTER_HINT, type JupyterInstall } from './find';
export { KERNEL_NAME, KERNEL_DISPLAY_NAME, kernelSpec, writeKernelSpec, registeredKernel, kernelIsCurrent, ensureKernel, tslabBinary, type KernelSpec } from './kernel';
