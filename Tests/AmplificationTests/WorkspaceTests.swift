import Amplification
import Tasks
import Testing

@Suite struct WorkspaceTests {
    @Test func renderingShowsQuestionAndExchangesInTaskTokens() {
        let workspace = Workspace(
            question: [3, 2, 1], exchanges: [Exchange(question: [3, 1, 2], answer: [4]), Exchange(question: [4, 1, 2], answer: [9])],
            subquestionsLeft: 1)
        let vocabulary = ["?", "0", "1", "a", "b"]
        #expect(workspace.rendered(vocabulary: vocabulary) == "q: a 1 0 | a 0 1 → b | b 0 1 → #9")
    }

    @Test func renderTokensMarksIdsOutsideTheVocabulary() {
        #expect(renderTokens([0, 1, 5, -1], vocabulary: ["?", "x"]) == "? x #5 #-1")
    }
}
