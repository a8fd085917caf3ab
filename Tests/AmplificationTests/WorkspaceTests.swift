import Amplification
import Tasks
import Testing

@Suite struct WorkspaceTests {
    @Test func renderTokensMarksIdsOutsideTheVocabulary() {
        #expect(renderTokens([0, 1, 5, -1], vocabulary: ["?", "x"]) == "? x #5 #-1")
    }
}
