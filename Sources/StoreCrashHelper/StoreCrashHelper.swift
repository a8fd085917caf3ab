import Foundation
import Store

/// Writes metrics to a database in a loop until it is killed: the victim of StoreTests' crash
/// test (`StoreCrashHelperTests`).
///
/// Usage: `StoreCrashHelper DATABASE RUN_ID [BATCH_SIZE]`. Each iteration appends one committed
/// batch of `BATCH_SIZE` (default 5) samples named `loss` at consecutive steps, then writes the
/// last committed step on its own line to standard output, unbuffered. The parent kills the
/// process with SIGKILL after a few lines and checks that every printed step is in the database
/// and that no batch is half there. Otherwise it runs until it is killed.
@main
enum StoreCrashHelper {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            FileHandle.standardError.write(
                Data("usage: StoreCrashHelper DATABASE RUN_ID [BATCH_SIZE]\n".utf8))
            exit(2)
        }
        let batchSize = max(1, arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5)
        do {
            let store = try SQLiteStore(path: arguments[1])
            var step = 0
            while true {
                let samples = (0..<batchSize).map { offset in
                    MetricSample(
                        step: step + offset, name: "loss", value: 1 / Double(step + offset + 1))
                }
                try store.appendMetrics(samples, run: arguments[2])
                step += batchSize
                // Unbuffered: the line reaches the parent only after the commit returned.
                FileHandle.standardOutput.write(Data("\(step - 1)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("StoreCrashHelper: \(error)\n".utf8))
            exit(1)
        }
    }
}
