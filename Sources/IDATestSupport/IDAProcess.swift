import Foundation

/// Runs the built `ida` binary (the product next to the test bundle) as a child process.
public struct IDAProcess {
    public struct Outcome {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// Whether the process ended by a signal (e.g. SIGKILL) rather than by exiting.
        public var signalled: Bool
    }

    /// The `ida` executable built with the tests.
    public static let executable: URL? = binary(named: "ida")

    /// The executable product `name` built with the tests (`ida`, a crash helper).
    public static func binary(named name: String) -> URL? {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in candidates {
            var url = directory
            for _ in 0..<3 {
                let binary = url.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    return binary
                }
                url = url.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Starts `ida arguments…` with its output going to files in `directory`.
    public static func start(_ arguments: [String], in directory: URL, executable: URL? = executable, input: String? = nil) throws -> (
        Process, stdout: URL, stderr: URL
    ) {
        guard let executable else { throw IDAProcessError.binaryNotFound }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let name = UUID().uuidString
        let out = directory.appendingPathComponent("\(name).out")
        let err = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let pipe = input.map { _ in Pipe() }
        if let pipe { process.standardInput = pipe }
        try process.run()
        if let pipe, let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        return (process, out, err)
    }

    /// Runs `ida arguments…` to its end, waiting on a thread of its own (``onOwnThread(_:)``).
    public static func run(_ arguments: [String], in directory: URL) async throws -> Outcome {
        let (process, out, err) = try start(arguments, in: directory)
        await process.exited()
        return try outcome(process, out, err)
    }

    /// Waits until the child has written `text` to `file` (true), has exited, or `seconds` passed.
    ///
    /// A run prints its first progress line only after it has created and migrated its
    /// database, so a test that opens the child's store before that line can race the child's
    /// migration (on an empty file `SQLiteStore` would create the schema itself); slow builds
    /// (sanitizers, a loaded machine) widen that window.
    public static func waitFor(_ text: String, in file: URL, of process: Process, seconds: Double = 300) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline {
            if let written = try? String(contentsOf: file, encoding: .utf8), written.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (try? String(contentsOf: file, encoding: .utf8))?.contains(text) ?? false
    }

    public static func outcome(_ process: Process, _ out: URL, _ err: URL) throws -> Outcome {
        Outcome(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: out, encoding: .utf8),
            standardError: try String(contentsOf: err, encoding: .utf8),
            signalled: process.terminationReason == .uncaughtSignal)
    }
}

public enum IDAProcessError: Error, CustomStringConvertible {
    case binaryNotFound

    public var description: String { "the ida binary was not found next to the test bundle (build with `swift build --build-tests`)" }
}
