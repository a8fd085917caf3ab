import COpenBLAS

/// Control of the CBLAS library's own threads.
///
/// Parallelise in one place at a time: either OpenBLAS threads inside `cblas_sgemm`, or
/// `DispatchQueue.concurrentPerform` in Swift kernels, never both (oversubscription tripled a
/// training step on this machine kind, STYLE.md). TensorCore's Swift kernels never call BLAS from
/// inside a `concurrentPerform` body, and BLAS calls never run inside one.
public enum BLAS {
    /// The number of threads OpenBLAS uses for each call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "BLAS.threadCount: must be at least 1, got \(newValue)")
            openblas_set_num_threads(Int32(newValue))
        }
    }
}
