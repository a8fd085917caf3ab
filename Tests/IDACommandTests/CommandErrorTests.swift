import Application
@testable import IDACommand
import Testing

@Suite struct CommandErrorTests {
    static let all: [CommandError] = [
        .alreadyComplete(run: "r-1"), .noReport(run: "r-1", status: "interrupted"),
        .incompatibleCheckpoint("p"), .noCheckpoint(run: "r-1"),
        .file(path: "f", problem: "p"), .invalidOption("p"), .tree(run: "r-1"),
    ]

    @Test(arguments: all)
    func everyDescriptionIsOneLine(error: CommandError) {
        #expect(!error.description.isEmpty)
        #expect(!error.description.contains("\n"))
    }

    @Test func anUnreadableRunIsOneLineNamingTheRun() {
        let error = ApplicationError.unreadableRun(run: "r-1", problem: "its report is not a training report")
        #expect(error.description == "run r-1 cannot be read by this ida: its report is not a training report")
    }

    @Test func hintsNameTheCommandThatHelps() {
        #expect(CommandError.alreadyComplete(run: "r-1").description.contains("`ida report r-1`"))
        #expect(CommandError.noReport(run: "r-1", status: "running").description.contains("`ida run --resume r-1`"))
        #expect(CommandError.tree(run: "r-1").description.contains("`ida trace r-1`"))
    }
}
