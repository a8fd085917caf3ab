@testable import Application
@testable import IDACommand
import Testing

@Suite struct CommandErrorTests {
    static let all: [any Error & CustomStringConvertible] = [
        ApplicationError.noReport(run: "r-1", status: "interrupted"), ApplicationError.noCheckpoint(run: "r-1"),
        CommandError.file(path: "f", problem: "p"),
        ApplicationError.alreadyComplete(run: "r-1"), ApplicationError.incompatibleCheckpoint("p"),
        ApplicationError.tree(run: "r-1"), ApplicationError.invalidJob("p"),
        ApplicationError.unreadableRun(run: "r-1", problem: "p"),
    ]

    @Test func everyDescriptionIsOneLine() {
        for error in Self.all {
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains("\n"), "\(error)")
        }
    }

    @Test func anUnreadableRunIsOneLineNamingTheRun() {
        let error = ApplicationError.unreadableRun(run: "r-1", problem: "its report is not a training report")
        #expect(error.description == "run r-1 cannot be read by this ida: its report is not a training report")
    }

    @Test func hintsNameTheCommandThatHelps() {
        #expect(ApplicationError.alreadyComplete(run: "r-1").description.contains("`ida report r-1`"))
        #expect(ApplicationError.noReport(run: "r-1", status: "running").description.contains("`ida run --resume r-1`"))
        #expect(ApplicationError.tree(run: "r-1").description.contains("`ida trace r-1`"))
    }
}
